//go:build !noasm

#include "textflag.h"

// func subMulVecAVX512(m, n int, a *float64, lda int, x, y *float64)
// y[0:m] −= A[0:m, 0:n]·x, m a multiple of 8: 32 rows at a time held
// in registers while the columns pass, then 8 at a time; each product
// is rounded (VMULPD) before it is subtracted (VSUBPD).
TEXT ·subMulVecAVX512(SB), NOSPLIT, $0-48
	MOVQ m+0(FP), CX
	MOVQ n+8(FP), BX
	MOVQ a+16(FP), SI
	MOVQ lda+24(FP), R8
	SHLQ $3, R8
	MOVQ x+32(FP), DI
	MOVQ y+40(FP), DX
subMulVecAVX512big:
	CMPQ CX, $32
	JLT  subMulVecAVX512small
	VMOVUPD 0(DX), Z0
	VMOVUPD 64(DX), Z1
	VMOVUPD 128(DX), Z2
	VMOVUPD 192(DX), Z3
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ BX, R12
	TESTQ R12, R12
	JE   subMulVecAVX512bigstore
subMulVecAVX512bigloop:
	VBROADCASTSD (R11), Z15
	VMULPD 0(R10), Z15, Z8
	VMULPD 64(R10), Z15, Z9
	VMULPD 128(R10), Z15, Z10
	VMULPD 192(R10), Z15, Z11
	VSUBPD Z8, Z0, Z0
	VSUBPD Z9, Z1, Z1
	VSUBPD Z10, Z2, Z2
	VSUBPD Z11, Z3, Z3
	ADDQ R8, R10
	ADDQ $8, R11
	DECQ R12
	JNE  subMulVecAVX512bigloop
subMulVecAVX512bigstore:
	VMOVUPD Z0, 0(DX)
	VMOVUPD Z1, 64(DX)
	VMOVUPD Z2, 128(DX)
	VMOVUPD Z3, 192(DX)
	ADDQ $256, SI
	ADDQ $256, DX
	SUBQ $32, CX
	JMP  subMulVecAVX512big
subMulVecAVX512small:
	TESTQ CX, CX
	JE   subMulVecAVX512done
	VMOVUPD (DX), Z0
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ BX, R12
	TESTQ R12, R12
	JE   subMulVecAVX512smallstore
subMulVecAVX512smallloop:
	VBROADCASTSD (R11), Z15
	VMULPD (R10), Z15, Z8
	VSUBPD Z8, Z0, Z0
	ADDQ R8, R10
	ADDQ $8, R11
	DECQ R12
	JNE  subMulVecAVX512smallloop
subMulVecAVX512smallstore:
	VMOVUPD Z0, (DX)
	ADDQ $64, SI
	ADDQ $64, DX
	SUBQ $8, CX
	JMP  subMulVecAVX512small
subMulVecAVX512done:
	VZEROUPPER
	RET

// func subMulVecAVX2(m, n int, a *float64, lda int, x, y *float64)
// y[0:m] −= A[0:m, 0:n]·x, m a multiple of 4: 16 rows at a time held
// in registers while the columns pass, then 4 at a time; each product
// is rounded (VMULPD) before it is subtracted (VSUBPD).
TEXT ·subMulVecAVX2(SB), NOSPLIT, $0-48
	MOVQ m+0(FP), CX
	MOVQ n+8(FP), BX
	MOVQ a+16(FP), SI
	MOVQ lda+24(FP), R8
	SHLQ $3, R8
	MOVQ x+32(FP), DI
	MOVQ y+40(FP), DX
subMulVecAVX2big:
	CMPQ CX, $16
	JLT  subMulVecAVX2small
	VMOVUPD 0(DX), Y0
	VMOVUPD 32(DX), Y1
	VMOVUPD 64(DX), Y2
	VMOVUPD 96(DX), Y3
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ BX, R12
	TESTQ R12, R12
	JE   subMulVecAVX2bigstore
subMulVecAVX2bigloop:
	VBROADCASTSD (R11), Y15
	VMULPD 0(R10), Y15, Y8
	VMULPD 32(R10), Y15, Y9
	VMULPD 64(R10), Y15, Y10
	VMULPD 96(R10), Y15, Y11
	VSUBPD Y8, Y0, Y0
	VSUBPD Y9, Y1, Y1
	VSUBPD Y10, Y2, Y2
	VSUBPD Y11, Y3, Y3
	ADDQ R8, R10
	ADDQ $8, R11
	DECQ R12
	JNE  subMulVecAVX2bigloop
subMulVecAVX2bigstore:
	VMOVUPD Y0, 0(DX)
	VMOVUPD Y1, 32(DX)
	VMOVUPD Y2, 64(DX)
	VMOVUPD Y3, 96(DX)
	ADDQ $128, SI
	ADDQ $128, DX
	SUBQ $16, CX
	JMP  subMulVecAVX2big
subMulVecAVX2small:
	TESTQ CX, CX
	JE   subMulVecAVX2done
	VMOVUPD (DX), Y0
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ BX, R12
	TESTQ R12, R12
	JE   subMulVecAVX2smallstore
subMulVecAVX2smallloop:
	VBROADCASTSD (R11), Y15
	VMULPD (R10), Y15, Y8
	VSUBPD Y8, Y0, Y0
	ADDQ R8, R10
	ADDQ $8, R11
	DECQ R12
	JNE  subMulVecAVX2smallloop
subMulVecAVX2smallstore:
	VMOVUPD Y0, (DX)
	ADDQ $32, SI
	ADDQ $32, DX
	SUBQ $4, CX
	JMP  subMulVecAVX2small
subMulVecAVX2done:
	VZEROUPPER
	RET
