#!/bin/bash
# Our GEMM against the MKL inside PyTorch, in one process (see Scripts/GEMMvsMKL/gemm_vs_mkl.c).
#
#   Scripts/gemm-vs-mkl.sh [SIZE [THREADS [BLOCKS [REPS]]]]     defaults: 1024 1 16 8
#
# SIZE is N (N x N by N x N) or M,N,K[,TA,TB] (op(A) M x K, op(B) K x N, TA/TB 1 = transposed).
#
# Prints one JSON line: each library's median and best GFLOP/s over BLOCKS blocks of REPS
# products, the median of the per-block ratios (ours / MKL; above 1 means faster than MKL),
# how many blocks ours won, and the largest difference between the two results relative to
# the largest element. Needs clang and the torch virtual environment (.venv-torch, or
# TORCH_PYTHON=/path/to/python); run from anywhere.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size=${1:-1024} threads=${2:-1} blocks=${3:-16} reps=${4:-8}
python=${TORCH_PYTHON:-$root/.venv-torch/bin/python}
torch_lib=$("$python" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
clang -O2 -I"$root/Sources/CKernels/include" "$root"/Sources/CKernels/*.c "$root/Scripts/GEMMvsMKL/gemm_vs_mkl.c" \
    -o "$build/gemm_vs_mkl" -L"$torch_lib" -ltorch_cpu -lc10 -Wl,-rpath,"$torch_lib" -lpthread -lm
OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads "$build/gemm_vs_mkl" "$size" "$threads" "$blocks" "$reps"
