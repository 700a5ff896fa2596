/*
 * hoop from plain C99: every rank contributes rank + 1 at each element and checks that
 * hoopAllReduce gives the exact result for every datatype and op, out of place and in place.
 *
 *   mpicc -std=c99 allreduce_c.c $(pkg-config --cflags --libs hoop) -o allreduce_c
 *   mpirun -np 4 ./allreduce_c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hoop/hoop.h>
#include <hoop/hoop_mpi.h>

#define COUNT 1001

static const size_t kTypeSize[hoopNumTypes] = {1, 1, 4, 4, 8, 8, 2, 4, 8, 2};

/* rank + 1 in each datatype; for float16 and bfloat16 the bit patterns of small integers. */
static void store(void* buffer, hoopDataType_t type, size_t i, long long v) {
  char* p = (char*)buffer + i * kTypeSize[type];
  switch (type) {
    case hoopInt8: { signed char x = (signed char)v; memcpy(p, &x, 1); break; }
    case hoopUint8: { unsigned char x = (unsigned char)v; memcpy(p, &x, 1); break; }
    case hoopInt32: case hoopUint32: { int x = (int)v; memcpy(p, &x, 4); break; }
    case hoopInt64: case hoopUint64: { long long x = v; memcpy(p, &x, 8); break; }
    case hoopFloat32: { float x = (float)v; memcpy(p, &x, 4); break; }
    case hoopFloat64: { double x = (double)v; memcpy(p, &x, 8); break; }
    case hoopFloat16: case hoopBfloat16: {
      /* Small positive integers: build the float's bits, then keep what each format keeps. */
      float f = (float)v;
      unsigned int bits;
      unsigned short half;
      memcpy(&bits, &f, 4);
      if (type == hoopBfloat16) {
        half = (unsigned short)(bits >> 16);
      } else {
        half = (unsigned short)(f == 0.0f ? 0 : ((((bits >> 23) & 0xff) - 112) << 10) | ((bits >> 13) & 0x3ff));
      }
      memcpy(p, &half, 2);
      break;
    }
    default: break;
  }
}

static long long expected(hoopRedOp_t op, int nranks) {
  long long result = op == hoopProd ? 1 : 0;
  for (int r = 0; r < nranks; ++r) {
    const long long v = r + 1;
    if (op == hoopSum || op == hoopAvg) result += v;
    if (op == hoopProd) result *= v;
    if (op == hoopMax) result = v;
    if (op == hoopMin && r == 0) result = v;
  }
  return op == hoopAvg ? result / nranks : result; /* (n+1)/2 truncated: exact in every type only for odd n */
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, nranks = 0, failures = 0;
  hoopComm_t comm;
  if (hoopCommInitMPI(&comm, MPI_COMM_WORLD, NULL) != hoopSuccess) {
    fprintf(stderr, "hoopCommInitMPI: %s\n", hoopGetLastError(NULL));
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  hoopCommRank(comm, &rank);
  hoopCommCount(comm, &nranks);
  char* send = malloc(COUNT * 8);
  char* recv = malloc(COUNT * 8);
  char* want = malloc(COUNT * 8);
  for (int type = 0; type < hoopNumTypes; ++type) {
    for (int op = 0; op < hoopNumOps; ++op) {
      /* avg of 1..n is (n+1)/2: not an integer for even n, so floats check it only at odd n. */
      const int floating = type >= hoopFloat16;
      if (op == hoopAvg && floating && nranks % 2 == 0) continue;
      for (int inPlace = 0; inPlace < 2; ++inPlace) {
        for (size_t i = 0; i < COUNT; ++i) {
          store(send, (hoopDataType_t)type, i, rank + 1);
          store(want, (hoopDataType_t)type, i, expected((hoopRedOp_t)op, nranks));
        }
        void* out = inPlace ? send : recv;
        hoopResult_t rc = hoopAllReduce(send, out, COUNT, (hoopDataType_t)type, (hoopRedOp_t)op, comm, NULL);
        if (rc != hoopSuccess) {
          fprintf(stderr, "rank %d: hoopAllReduce: %s: %s\n", rank, hoopGetErrorString(rc), hoopGetLastError(comm));
          ++failures;
        } else if (memcmp(out, want, COUNT * kTypeSize[type]) != 0) {
          fprintf(stderr, "rank %d: wrong result for datatype %d op %d%s\n", rank, type, op, inPlace ? " in place" : "");
          ++failures;
        }
      }
    }
  }
  free(send);
  free(recv);
  free(want);
  hoopCommDestroy(comm);
  int total = 0;
  MPI_Allreduce(&failures, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0) printf("%s: %d ranks, %d failures\n", total == 0 ? "PASSED" : "FAILED", nranks, total);
  MPI_Finalize();
  return total == 0 ? 0 : 1;
}
