#include "parallel.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace latentlab {
namespace {

// Spins of a waiting thread before it sleeps: long enough to bridge the
// serial stretches between two parallel loops of a training step.
constexpr int kSpins = 1 << 16;

// The thread index of the part this thread is running, -1 outside parts.
thread_local int running_thread = -1;

class Pool {
 public:
  ~Pool() { resize(1); }

  int size() const { return static_cast<int>(threads_.size()) + 1; }

  void resize(int count) {
    if (count == size()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
    stop_ = false;
    // A new thread waits for the loop after this generation, even if it starts late.
    const unsigned generation = generation_.load(std::memory_order_relaxed);
    for (int index = 1; index < count; ++index) {
      threads_.emplace_back([this, index, generation] { work(index, generation); });
    }
  }

  void run(long count, long parts, detail::PartFunction function, const void* body) {
    count_ = count;
    parts_ = parts;
    function_ = function;
    body_ = body;
    next_part_.store(0, std::memory_order_relaxed);
    // Every thread acknowledges every loop, taking part or not, so that none
    // can still be reading this loop's description when the next one is written.
    pending_.store(static_cast<int>(threads_.size()), std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    run_parts(0);
    while (pending_.load(std::memory_order_acquire) != 0) {
    }
  }

 private:
  // Where part `part` begins (64-bit: long is 32 bits in wasm).
  long bound(long part) const {
    return static_cast<long>(static_cast<std::int64_t>(count_) * part / parts_);
  }

  // Takes parts of the loop under way until none is left.
  void run_parts(int thread) {
    running_thread = thread;
    for (long part; (part = next_part_.fetch_add(1, std::memory_order_relaxed)) < parts_;) {
      function_(body_, bound(part), bound(part + 1), thread);
    }
    running_thread = -1;
  }

  void work(int index, unsigned seen) {
    for (;;) {
      unsigned now = seen;
      for (int spin = 0; spin < kSpins && now == seen; ++spin) {
        now = generation_.load(std::memory_order_acquire);
      }
      if (now == seen) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
        now = generation_.load(std::memory_order_acquire);
      }
      seen = now;
      if (stop_) return;
      run_parts(index);
      pending_.fetch_sub(1, std::memory_order_acq_rel);
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<unsigned> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<long> next_part_{0};
  bool stop_ = false;
  // The loop under way; written before generation_ is bumped.
  long count_ = 0;
  long parts_ = 1;
  detail::PartFunction function_ = nullptr;
  const void* body_ = nullptr;
};

Pool& pool() {
  static Pool instance;
  return instance;
}

}  // namespace

void set_thread_count(int count) { pool().resize(std::clamp(count, 1, kMaxThreads)); }
int thread_count() { return pool().size(); }

namespace detail {
void run_parts(long count, long parts, PartFunction function, const void* body) {
  pool().run(count, parts, function, body);
}
int part_thread() { return running_thread; }
}  // namespace detail

}  // namespace latentlab
