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
constexpr int kSpins = 1 << 20;

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
    // The previous loop is done (every part of it has finished), so no thread
    // reads its description any more.
    count_ = count;
    parts_ = parts;
    function_ = function;
    body_ = body;
    done_.store(0, std::memory_order_relaxed);
    const unsigned generation = generation_.load(std::memory_order_relaxed) + 1;
    ticket_.store(Ticket{generation, static_cast<std::uint32_t>(parts), 0}.word(),
                  std::memory_order_release);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      generation_.store(generation, std::memory_order_release);
    }
    wake_.notify_all();
    take_parts(0);
    // Only parts that other threads took are waited for: a thread that is
    // asleep or descheduled and took none never holds the caller up.
    while (done_.load(std::memory_order_acquire) != parts) {
    }
  }

 private:
  // The loop under way and its next part, in one word so that a thread takes
  // a part of the current loop only: generation (32 bits), parts, next part
  // (16 bits each; parts <= kMaxThreads * kPartsPerThread).
  struct Ticket {
    std::uint32_t generation, parts, next;
    static Ticket of(std::uint64_t word) {
      return {static_cast<std::uint32_t>(word >> 32),
              static_cast<std::uint32_t>(word >> 16) & 0xffff,
              static_cast<std::uint32_t>(word) & 0xffff};
    }
    std::uint64_t word() const {
      return static_cast<std::uint64_t>(generation) << 32 | parts << 16 | next;
    }
  };
  static_assert(kMaxThreads * kPartsPerThread <= 0xffff);

  // Where part `part` begins (64-bit: long is 32 bits in wasm). The parts
  // shrink linearly from the first to the last, which is 1/t of the first
  // for t threads (trapezoid self-scheduling, Tzen and Ni): the threads take
  // the big parts early and end on small ones together (two threads: 3-4%
  // faster than equal parts, where one thread often waited for the other's
  // last). With no more parts than threads they are equal. Part p of n
  // begins at count (2 p n^2 - (n - t) p^2) / (n^2 (n + t)).
  long bound(long part) const {
    const std::int64_t p = part, n = parts_, t = std::min<std::int64_t>(size(), n);
    return static_cast<long>(count_ * (2 * p * n * n - (n - t) * p * p) / (n * n * (n + t)));
  }

  // Takes parts of the loop under way until none is left. A part is taken by
  // moving the ticket on, so the loop's description, written before the
  // ticket, is read only while that loop is under way.
  void take_parts(int thread) {
    running_thread = thread;
    std::uint64_t word = ticket_.load(std::memory_order_acquire);
    const std::uint32_t generation = Ticket::of(word).generation;
    for (;;) {
      const Ticket ticket = Ticket::of(word);
      if (ticket.generation != generation || ticket.next >= ticket.parts) break;
      if (!ticket_.compare_exchange_weak(word, word + 1, std::memory_order_acquire,
                                         std::memory_order_acquire)) {
        continue;
      }
      const long begin = bound(ticket.next), end = bound(ticket.next + 1);
      if (begin < end) function_(body_, begin, end, thread);
      done_.fetch_add(1, std::memory_order_release);
      word = ticket_.load(std::memory_order_acquire);
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
      take_parts(index);
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<unsigned> generation_{0};  // of the newest loop, or of a stop
  std::atomic<std::uint64_t> ticket_{0};
  std::atomic<long> done_{0};  // parts of the loop under way that have finished
  bool stop_ = false;
  // The loop under way; written before the ticket.
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
