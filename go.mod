module github.com/glmmgo/glmmgo

go 1.26
