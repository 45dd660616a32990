package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include <stdlib.h>
#include "cgo.h"
*/
import "C"

import (
	"runtime"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/fit/mclafit"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// callbackEvaluator is a fit's mclafit.Evaluator made of the caller's
// glmmgo_mcla_partials_fn: the core calls it on the calling goroutine,
// which a call from C keeps on the caller's thread, as progress is.
type callbackEvaluator struct {
	fn       C.glmmgo_mcla_partials_fn
	userdata unsafe.Pointer
	p, q     int // the model's fixed and random effects, for the spec
	msg      [512]C.char
}

func (e *callbackEvaluator) Sample(spec *mclafit.SampleSpec) error {
	enc := spec.Encode()
	var req C.glmmgo_mcla_request
	req.what = C.GLMMGO_MCLA_SAMPLE
	req.m, req.nbatches = C.int64_t(spec.M), C.int64_t(parallel.NumBatches(spec.M))
	req.spec_len = C.int64_t(len(enc))
	var pin runtime.Pinner
	defer pin.Unpin()
	pin.Pin(&enc[0])
	req.spec = (*C.double)(unsafe.Pointer(&enc[0]))
	return e.call(&req, &pin)
}

func (e *callbackEvaluator) Partials(r *mclafit.Request, dst []float64) error {
	var req C.glmmgo_mcla_request
	req.what = C.GLMMGO_MCLA_BATCH_PARTIALS
	if r.Kind == mclafit.MomentPartials {
		req.what = C.GLMMGO_MCLA_MOMENT_PARTIALS
	}
	req.m, req.nbatches = C.int64_t(r.M), C.int64_t(parallel.NumBatches(r.M))
	req.npar = C.int64_t(len(r.Par))
	req.row_begin, req.row_end = C.int64_t(r.Lo), C.int64_t(r.Hi)
	req.batch_begin, req.batch_end = C.int64_t(r.G0), C.int64_t(r.G1)
	req.batch_len, req.len = C.int64_t(len(dst)/(r.G1-r.G0)), C.int64_t(len(dst)) // every batch's answer has the same length
	var pin runtime.Pinner
	defer pin.Unpin()
	pin.Pin(&r.Par[0])
	pin.Pin(&dst[0])
	req.par = (*C.double)(unsafe.Pointer(&r.Par[0]))
	req.partials = (*C.double)(unsafe.Pointer(&dst[0]))
	return e.call(&req, &pin)
}

// call passes req to the callback; a nonzero return cancels the fit with
// the callback's message.
func (e *callbackEvaluator) call(req *C.glmmgo_mcla_request, pin *runtime.Pinner) error {
	req.size = C.size_t(unsafe.Sizeof(*req))
	e.msg[0] = 0
	pin.Pin(&e.msg[0])
	req.err, req.errlen = &e.msg[0], C.size_t(len(e.msg))
	if rc := C.glmmgo_call_partials(e.fn, e.userdata, req); rc != 0 {
		e.msg[len(e.msg)-1] = 0
		msg := C.GoString(&e.msg[0])
		if msg == "" {
			msg = "no message"
		}
		return &errs.Error{Kind: errs.Cancelled, Arg: "partials", Msg: "the partials callback returned " + itoa(int(rc)) + ": " + msg}
	}
	return nil
}

func itoa(v int) string {
	if v < 0 {
		return "-" + itoa(-v)
	}
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa(v/10) + string(rune('0'+v%10))
}

// evaluator returns the fit's evaluator for options whose partials
// callback is set, or nil.
func (mm *mclaModel) evaluator(fn C.glmmgo_mcla_partials_fn, userdata unsafe.Pointer) mclafit.Evaluator {
	if fn == nil {
		return nil
	}
	return &callbackEvaluator{fn: fn, userdata: userdata, p: mm.data.P, q: mm.data.Q}
}

// mclaWorker is a model's part of a distributed fit, for the data at the
// dispersion it was made with.
type mclaWorker struct {
	w          *mclafit.Worker
	dispersion float64
}

// worker returns the model's worker, made (again) for its current data.
func (mm *mclaModel) mclaWorker() (*mclafit.Worker, error) {
	if err := mm.ready(); err != nil {
		return nil, err
	}
	if mm.worker == nil || mm.worker.dispersion != mm.data.Dispersion {
		w, err := mclafit.NewWorker(mm.data)
		if err != nil {
			return nil, err
		}
		mm.worker = &mclaWorker{w: w, dispersion: mm.data.Dispersion}
	}
	return mm.worker.w, nil
}

//export glmmgo_go_mcla_worker_sample
func glmmgo_go_mcla_worker_sample(model C.glmmgo_handle, spec *C.double, specLen, batchBegin, batchEnd C.int64_t, nworkers C.int32_t,
	err *C.char, errlen C.size_t) C.int {
	return withHandle(model, "model", kindMCLAModel, err, errlen, func(mm *mclaModel) error {
		th, e := workers(nworkers)
		if e != nil {
			return e
		}
		p, q := mm.data.P, mm.data.Q
		if int64(specLen) != int64(mclafit.SpecLen(p, q)) {
			return errs.Invalidf("spec_len", "is %d; a sample's spec for this model has %d doubles (10 + p + 2q)", int64(specLen), mclafit.SpecLen(p, q))
		}
		v, e := floats(unsafe.Pointer(spec), mclafit.SpecLen(p, q), "spec", false)
		if e != nil {
			return e
		}
		s, e := mclafit.DecodeSpec(v, p, q)
		if e != nil {
			return e
		}
		w, e := mm.mclaWorker()
		if e != nil {
			return e
		}
		nb := int64(parallel.NumBatches(s.M))
		if batchBegin < 0 || int64(batchEnd) > nb || batchBegin >= batchEnd {
			return errs.Invalidf("batch_begin", "batches [%d, %d) are not a non-empty part of the %d batches of m = %d samples", int64(batchBegin), int64(batchEnd), nb, s.M)
		}
		return w.Sample(s, int(batchBegin), int(batchEnd), th)
	})
}

//export glmmgo_go_mcla_worker_partials
func glmmgo_go_mcla_worker_partials(model C.glmmgo_handle, what C.int32_t, par *C.double, npar, m, rowBegin, rowEnd, batchBegin, batchEnd C.int64_t,
	nworkers C.int32_t, partials *C.double, length C.int64_t, err *C.char, errlen C.size_t) C.int {
	return withHandle(model, "model", kindMCLAModel, err, errlen, func(mm *mclaModel) error {
		th, e := workers(nworkers)
		if e != nil {
			return e
		}
		req := &mclafit.Request{Kind: mclafit.BatchPartials}
		switch what {
		case C.GLMMGO_MCLA_BATCH_PARTIALS:
		case C.GLMMGO_MCLA_MOMENT_PARTIALS:
			req.Kind = mclafit.MomentPartials
		default:
			return errs.Invalidf("what", "is %d; want GLMMGO_MCLA_BATCH_PARTIALS (%d) or GLMMGO_MCLA_MOMENT_PARTIALS (%d)", int32(what), C.GLMMGO_MCLA_BATCH_PARTIALS, C.GLMMGO_MCLA_MOMENT_PARTIALS)
		}
		if req.Par, e = mm.parameters(par, npar); e != nil {
			return e
		}
		ms, e := size(m, "m", 1)
		if e != nil {
			return e
		}
		nb := int64(parallel.NumBatches(ms))
		if batchBegin < 0 || int64(batchEnd) > nb || batchBegin >= batchEnd {
			return errs.Invalidf("batch_begin", "batches [%d, %d) are not a non-empty part of the %d batches of m = %d samples", int64(batchBegin), int64(batchEnd), nb, ms)
		}
		if rowBegin < 0 || int64(rowEnd) > int64(ms) || rowBegin >= rowEnd {
			return errs.Invalidf("row_begin", "rows [%d, %d) are not a non-empty range of the %d samples", int64(rowBegin), int64(rowEnd), ms)
		}
		req.M, req.Lo, req.Hi, req.G0, req.G1 = ms, int(rowBegin), int(rowEnd), int(batchBegin), int(batchEnd)
		w, e := mm.mclaWorker()
		if e != nil {
			return e
		}
		want := w.RequestLen(req) // the worker's estimator's shape (blockwise or joint)
		if int64(length) != int64(want) {
			return errs.Invalidf("len", "is %d; %d batches of %d doubles are %d", int64(length), req.G1-req.G0, want/(req.G1-req.G0), want)
		}
		out, e := floats(unsafe.Pointer(partials), want, "partials", false)
		if e != nil {
			return e
		}
		return w.Partials(req, th, out)
	})
}
