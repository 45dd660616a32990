/* Reads the data files the Go tests write with writeArrays: lines
   "NAME COUNT v1 v2 ...". For the C test programs. */
#ifndef TESTS_ARRAYS_H
#define TESTS_ARRAYS_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct { char name[32]; int64_t n; double *v; } arrays_[32];
static int narrays_;

static void read_arrays(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    long long n;
    while (narrays_ < 32 && fscanf(f, "%31s %lld", arrays_[narrays_].name, &n) == 2) {
        arrays_[narrays_].n = n;
        arrays_[narrays_].v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
        for (long long i = 0; i < n; i++)
            if (fscanf(f, "%lf", &arrays_[narrays_].v[i]) != 1) { fprintf(stderr, "%s: short\n", arrays_[narrays_].name); exit(2); }
        narrays_++;
    }
    fclose(f);
}

/* The array called name (its length into *n when n is not NULL); exits if absent. */
static double *array_named(const char *name, int64_t *n) {
    for (int i = 0; i < narrays_; i++)
        if (strcmp(arrays_[i].name, name) == 0) {
            if (n) *n = arrays_[i].n;
            return arrays_[i].v;
        }
    fprintf(stderr, "no array %s\n", name);
    exit(2);
}
#endif
