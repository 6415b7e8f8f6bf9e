// Eigen includes this x86-only header; wasm SIMD emulates SSE without it.
#pragma once
