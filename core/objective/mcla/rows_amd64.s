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
#define TABLE 480

// func bernUnitAVX2(nb, w, p int, xb, y, zv *float64, zc *int32, u, xt, dv, acc, out, cst *float64) (bad bool)
//
// Per block of 4 rows (one row per lane):
//   η = xb + Σ_k zv·u[zc]               (gathers of u; no FMA, so η is
//                                        bit-identical to Model.eta's)
//   a = −|η|, flagged when !(a > FastExpMin)
//   e^a = T + T·p(r) as fastmath.ExpKernel (table gathered)
//   s = 1 + e^a, inv = 1/s, dv = e^a·inv·inv, c′ = η < 0 ? e^a·inv : inv
//   lin += yη − max(η, 0), prod *= s (renormalised to [1, 2) every step,
//   its biased exponent summed), acc[j] += X[:, j]·(y − c′).
// Registers: Y11 flags, Y12 lin, Y13 prod, Y14 exponent sums.
TEXT ·bernUnitAVX2(SB), NOSPLIT, $0-105
	MOVQ nb+0(FP), AX
	MOVQ xb+24(FP), BX
	MOVQ y+32(FP), DX
	MOVQ zv+40(FP), SI
	MOVQ zc+48(FP), DI
	MOVQ u+56(FP), R8
	MOVQ xt+64(FP), R9
	MOVQ dv+72(FP), R10
	MOVQ acc+80(FP), R11
	MOVQ cst+96(FP), CX
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
	VPCMPEQQ    Y15, Y15, Y15
	VMOVDQU     (DI), X1
	VXORPD      Y2, Y2, Y2
	VGATHERDPD  Y15, (R8)(X1*8), Y2
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

	// r = y − c′, lin += yη − max(η, 0)
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

	// acc[j] += X[rows, j]·r
	MOVQ  p+16(FP), R13
	TESTQ R13, R13
	JE    xdone
	MOVQ  R11, R12

xloop:
	VMOVUPD     (R12), Y4
	VFMADD231PD (R9), Y6, Y4
	VMOVUPD     Y4, (R12)
	ADDQ        $32, R9
	ADDQ        $32, R12
	DECQ        R13
	JNE         xloop

xdone:
	ADDQ $32, BX
	ADDQ $32, DX
	ADDQ $32, R10
	DECQ AX
	JNE  block

	MOVQ     out+88(FP), R12
	VMOVUPD  Y12, (R12)
	VMOVUPD  Y13, 32(R12)
	VMOVDQU  Y14, 64(R12)
	VMOVMSKPD Y11, R13
	TESTQ    R13, R13
	SETNE    bad+104(FP)
	VZEROUPPER
	RET

// func hasAVX2FMA() bool
// CPUID leaf 1: ECX bit 12 FMA, bit 27 OSXSAVE, bit 28 AVX; XGETBV: XMM and
// YMM state enabled (bits 1,2); CPUID leaf 7: EBX bit 5 AVX2.
TEXT ·hasAVX2FMA(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	MOVL CX, R8
	ANDL $0x18001000, R8
	CMPL R8, $0x18001000
	JNE  no
	XORL CX, CX
	XGETBV
	ANDL $6, AX
	CMPL AX, $6
	JNE  no
	MOVL $7, AX
	XORL CX, CX
	CPUID
	ANDL $0x20, BX
	CMPL BX, $0x20
	JNE  no
	MOVB $1, ret+0(FP)
	RET

no:
	MOVB $0, ret+0(FP)
	RET
