//go:build !noasm

#include "textflag.h"

// Offsets of the vector constants in bernConst (rows_amd64.go).
#define SIGN 0
#define EXPMIN 32
#define INVLN2 64
#define SHIFTER 96
#define LN2HI 128
#define LN2LO 160
#define MASK31 192
#define BIAS 224
#define C6 256
#define C2 288
#define C120 320
#define C24 352
#define C720 384
#define ONE 416
#define MANT 448
#define EXPMAX 480
#define TABLE 512

// func bernUnitAVX2(nb, w int, xb, y, zv *float64, zc *int32, u, dv, rbuf, out, cst *float64) (bad bool)
//
// Per block of 4 rows (one row per lane):
//   η = xb + Σ_k zv·u[zc]               (no FMA, so η is
//                                        bit-identical to Model.eta's)
//   a = −|η|, flagged when !(a > FastExpMin)
//   e^a = T + T·p(r) as fastmath.ExpKernel (table gathered)
//   s = 1 + e^a, inv = 1/s, dv = e^a·inv·inv, c′ = η < 0 ? e^a·inv : inv
//   lin += yη − max(η, 0), prod *= s (renormalised to [1, 2) every step,
//   its biased exponent summed), rbuf = y − c′.
// Registers: Y11 flags, Y12 lin, Y13 prod, Y14 exponent sums.
TEXT ·bernUnitAVX2(SB), NOSPLIT, $0-89
	MOVQ nb+0(FP), AX
	MOVQ xb+16(FP), BX
	MOVQ y+24(FP), DX
	MOVQ zv+32(FP), SI
	MOVQ zc+40(FP), DI
	MOVQ u+48(FP), R8
	MOVQ dv+56(FP), R10
	MOVQ rbuf+64(FP), R9
	MOVQ cst+80(FP), CX
	VXORPD  Y11, Y11, Y11
	VXORPD  Y12, Y12, Y12
	VMOVUPD ONE(CX), Y13
	VPXOR   Y14, Y14, Y14

block:
	VMOVUPD (BX), Y0
	MOVQ    w+8(FP), R12
	TESTQ   R12, R12
	JE      zdone

zloop:
	// u[zc] by scalar loads: faster than VGATHERDPD here
	MOVL        (DI), R11
	MOVL        4(DI), R13
	VMOVSD      (R8)(R11*8), X2
	VMOVHPD     (R8)(R13*8), X2, X2
	MOVL        8(DI), R11
	MOVL        12(DI), R13
	VMOVSD      (R8)(R11*8), X3
	VMOVHPD     (R8)(R13*8), X3, X3
	VINSERTF128 $1, X3, Y2, Y2
	VMULPD      (SI), Y2, Y2
	VADDPD      Y2, Y0, Y0
	ADDQ        $32, SI
	ADDQ        $16, DI
	DECQ        R12
	JNE         zloop

zdone:
	// a = −|η| and the range flag
	VORPD  SIGN(CX), Y0, Y1
	VCMPPD $0x0A, EXPMIN(CX), Y1, Y2
	VORPD  Y2, Y11, Y11

	// a = (32k + j)·ln2/32 + r
	VMULPD       INVLN2(CX), Y1, Y3
	VADDPD       SHIFTER(CX), Y3, Y3
	VSUBPD       SHIFTER(CX), Y3, Y4
	VFNMADD231PD LN2HI(CX), Y4, Y1
	VMULPD       LN2LO(CX), Y4, Y4
	VSUBPD       Y4, Y1, Y1

	// T = 2^{j/32}·2^k
	VPAND      MASK31(CX), Y3, Y5
	VPCMPEQQ   Y15, Y15, Y15
	VXORPD     Y6, Y6, Y6
	VGATHERQPD Y15, TABLE(CX)(Y5*8), Y6
	VPSRLQ     $5, Y3, Y3
	VPSLLQ     $52, Y3, Y3
	VPADDQ     BIAS(CX), Y3, Y3
	VMULPD     Y3, Y6, Y6

	// e^r − 1 = r + r²((1/2 + r/6) + r²((1/24 + r/120) + r²/720)); e^a = T + T(e^r − 1)
	VMULPD      Y1, Y1, Y2
	VMOVUPD     C6(CX), Y7
	VFMADD213PD C2(CX), Y1, Y7
	VMOVUPD     C120(CX), Y8
	VFMADD213PD C24(CX), Y1, Y8
	VMULPD      C720(CX), Y2, Y9
	VADDPD      Y9, Y8, Y8
	VFMADD213PD Y7, Y2, Y8
	VFMADD213PD Y1, Y2, Y8
	VFMADD213PD Y6, Y6, Y8

	// s, 1/s, c″, c′
	VADDPD    ONE(CX), Y8, Y9
	VMOVUPD   ONE(CX), Y10
	VDIVPD    Y9, Y10, Y10
	VMULPD    Y9, Y13, Y13
	VMULPD    Y10, Y8, Y7
	VMULPD    Y10, Y7, Y6
	VMOVUPD   Y6, (R10)
	VBLENDVPD Y0, Y7, Y10, Y6

	// r = y − c′ (Y6), lin += yη − max(η, 0)
	VMOVUPD     (DX), Y5
	VSUBPD      Y6, Y5, Y6
	VFMADD231PD Y5, Y0, Y12
	VXORPD      Y4, Y4, Y4
	VMAXPD      Y4, Y0, Y4
	VSUBPD      Y4, Y12, Y12

	// prod to [1, 2), exponent summed
	VPSRLQ $52, Y13, Y4
	VPADDQ Y4, Y14, Y14
	VPAND  MANT(CX), Y13, Y13
	VPOR   ONE(CX), Y13, Y13

	VMOVUPD Y6, (R9)
	ADDQ    $32, R9
	ADDQ    $32, BX
	ADDQ    $32, DX
	ADDQ    $32, R10
	DECQ    AX
	JNE     block

	MOVQ      out+72(FP), R12
	VMOVUPD   Y12, (R12)
	VMOVUPD   Y13, 32(R12)
	VMOVDQU   Y14, 64(R12)
	VMOVMSKPD Y11, R13
	TESTQ     R13, R13
	SETNE     bad+88(FP)
	VZEROUPPER
	RET

// func poisAVX2(nb, w int, xb, yw, zv *float64, zc *int32, u, dv, rbuf, out, cst *float64) (bad bool)
//
// The Poisson rows: η as in bernUnitAVX2, flagged unless
// FastExpMin < η < FastExpMax; μ = e^η as fastmath.ExpKernel; with y and w
// from yw (per block 4 y then 4 w): dv = wμ, rbuf = w(y − μ),
// lin += w(yη − μ) (out[0:4]).
TEXT ·poisAVX2(SB), NOSPLIT, $0-89
	MOVQ nb+0(FP), AX
	MOVQ xb+16(FP), BX
	MOVQ yw+24(FP), DX
	MOVQ zv+32(FP), SI
	MOVQ zc+40(FP), DI
	MOVQ u+48(FP), R8
	MOVQ dv+56(FP), R10
	MOVQ rbuf+64(FP), R9
	MOVQ cst+80(FP), CX
	VXORPD Y11, Y11, Y11
	VXORPD Y12, Y12, Y12

block:
	VMOVUPD (BX), Y0
	MOVQ    w+8(FP), R12
	TESTQ   R12, R12
	JE      zdone

zloop:
	// u[zc] by scalar loads: faster than VGATHERDPD here
	MOVL        (DI), R11
	MOVL        4(DI), R13
	VMOVSD      (R8)(R11*8), X2
	VMOVHPD     (R8)(R13*8), X2, X2
	MOVL        8(DI), R11
	MOVL        12(DI), R13
	VMOVSD      (R8)(R11*8), X3
	VMOVHPD     (R8)(R13*8), X3, X3
	VINSERTF128 $1, X3, Y2, Y2
	VMULPD      (SI), Y2, Y2
	VADDPD      Y2, Y0, Y0
	ADDQ        $32, SI
	ADDQ        $16, DI
	DECQ        R12
	JNE         zloop

zdone:
	VCMPPD  $0x0A, EXPMIN(CX), Y0, Y2
	VORPD   Y2, Y11, Y11
	VCMPPD  $0x05, EXPMAX(CX), Y0, Y2
	VORPD   Y2, Y11, Y11
	VMOVAPD Y0, Y1

	// a = (32k + j)·ln2/32 + r
	VMULPD       INVLN2(CX), Y1, Y3
	VADDPD       SHIFTER(CX), Y3, Y3
	VSUBPD       SHIFTER(CX), Y3, Y4
	VFNMADD231PD LN2HI(CX), Y4, Y1
	VMULPD       LN2LO(CX), Y4, Y4
	VSUBPD       Y4, Y1, Y1

	// T = 2^{j/32}·2^k
	VPAND      MASK31(CX), Y3, Y5
	VPCMPEQQ   Y15, Y15, Y15
	VXORPD     Y6, Y6, Y6
	VGATHERQPD Y15, TABLE(CX)(Y5*8), Y6
	VPSRLQ     $5, Y3, Y3
	VPSLLQ     $52, Y3, Y3
	VPADDQ     BIAS(CX), Y3, Y3
	VMULPD     Y3, Y6, Y6

	// e^r − 1 = r + r²((1/2 + r/6) + r²((1/24 + r/120) + r²/720)); e^a = T + T(e^r − 1)
	VMULPD      Y1, Y1, Y2
	VMOVUPD     C6(CX), Y7
	VFMADD213PD C2(CX), Y1, Y7
	VMOVUPD     C120(CX), Y8
	VFMADD213PD C24(CX), Y1, Y8
	VMULPD      C720(CX), Y2, Y9
	VADDPD      Y9, Y8, Y8
	VFMADD213PD Y7, Y2, Y8
	VFMADD213PD Y1, Y2, Y8
	VFMADD213PD Y6, Y6, Y8

	// Y8 = μ
	VMOVUPD (DX), Y5
	VMOVUPD 32(DX), Y9
	VMULPD  Y8, Y9, Y6
	VMOVUPD Y6, (R10)
	VSUBPD  Y8, Y5, Y7
	VMULPD  Y9, Y7, Y7
	VMOVUPD Y7, (R9)
	VMULPD  Y0, Y5, Y4
	VSUBPD  Y8, Y4, Y4
	VMULPD  Y9, Y4, Y4
	VADDPD  Y4, Y12, Y12

	ADDQ $32, R9
	ADDQ $32, BX
	ADDQ $64, DX
	ADDQ $32, R10
	DECQ AX
	JNE  block

	MOVQ      out+72(FP), R12
	VMOVUPD   Y12, (R12)
	VMOVMSKPD Y11, R13
	TESTQ     R13, R13
	SETNE     bad+88(FP)
	VZEROUPPER
	RET

// func xtrAVX2(nb, p, n int, x, r, acc *float64)
// acc[4j:4j+4] = lanes of Σ_b X[4b:4b+4, j]·r[4b:4b+4] for j < p, X
// column-major with n rows; four columns at a time in registers.
TEXT ·xtrAVX2(SB), NOSPLIT, $0-48
	MOVQ p+8(FP), R13
	MOVQ x+24(FP), R9
	MOVQ n+16(FP), R12
	SHLQ $3, R12
	MOVQ acc+40(FP), R11
	MOVQ r+32(FP), SI

four:
	CMPQ   R13, $4
	JLT    one
	LEAQ   (R9)(R12*1), BX
	LEAQ   (BX)(R12*1), DX
	LEAQ   (DX)(R12*1), R10
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	MOVQ   nb+0(FP), AX
	XORQ   R8, R8

four1:
	VMOVUPD     (SI)(R8*1), Y4
	VFMADD231PD (R9)(R8*1), Y4, Y0
	VFMADD231PD (BX)(R8*1), Y4, Y1
	VFMADD231PD (DX)(R8*1), Y4, Y2
	VFMADD231PD (R10)(R8*1), Y4, Y3
	ADDQ        $32, R8
	DECQ        AX
	JNE         four1
	VMOVUPD     Y0, (R11)
	VMOVUPD     Y1, 32(R11)
	VMOVUPD     Y2, 64(R11)
	VMOVUPD     Y3, 96(R11)
	ADDQ        $128, R11
	LEAQ        (R10)(R12*1), R9
	SUBQ        $4, R13
	JMP         four

one:
	TESTQ  R13, R13
	JE     done
	VXORPD Y0, Y0, Y0
	MOVQ   nb+0(FP), AX
	XORQ   R8, R8

one1:
	VMOVUPD     (SI)(R8*1), Y4
	VFMADD231PD (R9)(R8*1), Y4, Y0
	ADDQ        $32, R8
	DECQ        AX
	JNE         one1
	VMOVUPD     Y0, (R11)
	ADDQ        $32, R11
	ADDQ        R12, R9
	DECQ        R13
	JMP         one

done:
	VZEROUPPER
	RET

// func axpyAVX2(n int, a float64, x, y *float64)
// y[i] += a·x[i] for i < n, n a multiple of 8; a product then a sum, as the
// Go loop rounds them.
TEXT ·axpyAVX2(SB), NOSPLIT, $0-32
	MOVQ         n+0(FP), CX
	VBROADCASTSD a+8(FP), Y0
	MOVQ         x+16(FP), SI
	MOVQ         y+24(FP), DI
	SHRQ         $3, CX
	JE           axdone

axloop:
	VMULPD  (SI), Y0, Y1
	VMULPD  32(SI), Y0, Y2
	VADDPD  (DI), Y1, Y1
	VADDPD  32(DI), Y2, Y2
	VMOVUPD Y1, (DI)
	VMOVUPD Y2, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNE     axloop

axdone:
	VZEROUPPER
	RET
