// Mini-batch training of an Autoencoder<float>: shuffles the samples with a
// seeded generator at the start of every epoch, gathers each mini-batch,
// computes gradients (the model corrupts and samples with the same
// generator, fresh for every mini-batch) and lets the optimizer step.
// Training stops between mini-batches and resumes later, so a caller can
// train in slices: a call on the data of the epoch under way (the same
// contents, however they arrive) continues it, other data starts a new one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "autoencoder.h"
#include "dataset.h"
#include "optimizer.h"
#include "rng.h"

namespace latentlab {

struct TrainOptions {
  int batch_size = 128;
  OptimizerOptions optimizer;
};

// Sent after every mini-batch; return false from the callback to stop.
struct BatchReport {
  long epoch;  // epochs begun, from 1
  long step;   // optimizer steps taken by this trainer, from 1
  long batch;  // mini-batches done in this epoch, from 1
  long batches_per_epoch;
  long samples;  // samples in this mini-batch
  double loss;   // this mini-batch's objective (all terms)
};

// Sample-weighted running means of the loss terms.
class LossTermsMean {
 public:
  void add(const LossTerms& terms, long samples);
  LossTerms mean() const;
  void reset() { *this = LossTermsMean(); }

 private:
  LossTerms sums_;
  long samples_ = 0;
};

struct TrainReport {
  long epoch;  // the epoch the last mini-batch belonged to
  long step;
  long batches;           // mini-batches run by this call
  long samples;           // samples seen by this call
  LossTerms terms;        // sample-weighted means over this call's mini-batches
  LossTerms epoch_terms;  // the same over the whole epoch so far
  bool epoch_finished;
  bool stopped;  // the callback asked to stop
};

class Trainer {
 public:
  Trainer(Autoencoder<float>& model, std::uint64_t seed) : model_(model), rng_(seed) {}

  // Takes new options; Adam's or momentum's state survives unless the
  // optimizer kind changes.
  void configure(const TrainOptions& options);

  bool in_epoch() const { return cursor_ < static_cast<long>(order_.size()); }

  // Runs up to `max_batches` mini-batches on `data`, continuing the epoch
  // under way if it is over the same data and starting a new one (reshuffled)
  // otherwise. Throws std::runtime_error, leaving the parameters as they were
  // before the failing step, if the loss, a gradient or an updated parameter
  // is not finite.
  TrainReport train(const Dataset& data, long max_batches,
                    const std::function<bool(const BatchReport&)>& on_batch);

 private:
  void begin_epoch(const Dataset& data);
  void gather_batch(const Dataset& data, long first, long count);

  Autoencoder<float>& model_;
  Rng rng_;
  TrainOptions options_;
  std::unique_ptr<Optimizer<float>> optimizer_;
  std::vector<std::uint32_t> order_;  // this epoch's sample order
  long cursor_ = 0;                   // next position in order_
  std::uint64_t epoch_data_ = 0;      // the fingerprint of this epoch's data
  long epoch_ = 0;
  long step_ = 0;
  LossTermsMean epoch_terms_;
  Matrix<float> batch_;
  Vector<float> parameters_before_step_;
};

}  // namespace latentlab
