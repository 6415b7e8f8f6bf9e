// Included before everything in the allocation test's build (-include): with
// EIGEN_RUNTIME_NO_MALLOC, Eigen checks through eigen_assert that it may
// allocate; here a failed check is counted instead of aborting, so the test
// can report how many allocations a training step made.
#pragma once

namespace latentlab_test {
void count_eigen_assertion_failure();
}

#define eigen_assert(condition) \
  ((condition) ? static_cast<void>(0) : latentlab_test::count_eigen_assertion_failure())
