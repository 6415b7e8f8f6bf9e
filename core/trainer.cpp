#include "trainer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "errors.h"
#include "parallel.h"

namespace latentlab {

void LossTermsMean::add(const LossTerms& terms, long samples) {
  sums_.reconstruction += terms.reconstruction * samples;
  sums_.sparsity += terms.sparsity * samples;
  sums_.contractive += terms.contractive * samples;
  sums_.kl += terms.kl * samples;
  sums_.beta = terms.beta;
  samples_ += samples;
}

LossTerms LossTermsMean::mean() const {
  if (samples_ == 0) return sums_;
  const double n = static_cast<double>(samples_);
  LossTerms mean = sums_;
  mean.reconstruction /= n;
  mean.sparsity /= n;
  mean.contractive /= n;
  mean.kl /= n;
  return mean;
}

void Trainer::configure(const TrainOptions& options) {
  if (options.batch_size <= 0) throw std::invalid_argument("batchSize must be a positive integer");
  if (!(options.optimizer.learning_rate > 0) || !std::isfinite(options.optimizer.learning_rate)) {
    throw std::invalid_argument("learningRate must be a positive finite number");
  }
  if (optimizer_ && optimizer_->options().kind == options.optimizer.kind) {
    optimizer_->set_options(options.optimizer);
  } else {
    optimizer_ = make_optimizer<float>(options.optimizer, model_.parameters().size());
  }
  options_ = options;
}

void Trainer::begin_epoch(const Dataset& data) {
  order_.resize(static_cast<std::size_t>(data.count()));
  for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<std::uint32_t>(i);
  // Fisher-Yates with the trainer's own generator: a fresh order every epoch.
  for (std::size_t i = order_.size() - 1; i > 0; --i) {
    std::swap(order_[i], order_[rng_.below(static_cast<std::uint32_t>(i + 1))]);
  }
  cursor_ = 0;
  epoch_data_ = data.fingerprint();
  epoch_terms_.reset();
  ++epoch_;
}

void Trainer::gather_batch(const Dataset& data, long first, long count) {
  data.gather(order_.data() + first, count, batch_);
}

TrainReport Trainer::train(const Dataset& dataset, long max_batches,
                           const std::function<bool(const BatchReport&)>& on_batch) {
  if (!optimizer_) throw std::logic_error("Trainer::configure must be called before train");
  if (dataset.features() != model_.input_size()) {
    throw OutOfRange("the data has " + std::to_string(dataset.features()) +
                     " features per sample, the model expects " +
                     std::to_string(model_.input_size()));
  }
  check_loss_targets(model_.config().loss, dataset.min(), dataset.max(), "data");
  model_.check_batch_size(std::min(static_cast<long>(options_.batch_size), dataset.count()));
  if (!in_epoch() || dataset.fingerprint() != epoch_data_ ||
      dataset.count() != static_cast<long>(order_.size())) {
    begin_epoch(dataset);
  }
  const long total = static_cast<long>(order_.size());
  const long batch_size = options_.batch_size;
  const long batches_per_epoch = (total + batch_size - 1) / batch_size;

  TrainReport report{epoch_, step_, 0, 0, {}, {}, false, false};
  LossTermsMean call_terms;
  while (in_epoch() && report.batches < max_batches) {
    const long count = std::min(batch_size, total - cursor_);
    gather_batch(dataset, cursor_, count);
    const LossTerms terms = model_.compute_gradients(batch_, rng_);
    const double loss = terms.total();
    const Vector<float>& gradients = model_.gradients();
    if (!std::isfinite(loss) || !all_finite(gradients.data(), gradients.size())) {
      throw std::runtime_error("training diverged at step " + std::to_string(step_ + 1) +
                               ": the loss or a gradient is not finite; the parameters are kept " +
                               "as they were, try a lower learningRate");
    }
    // A step from finite gradients can still overflow (a huge learning rate):
    // keep the parameters it started from until the result is known finite.
    Vector<float>& parameters = model_.parameters();
    if (!optimizer_->step(parameters, gradients, step_ + 1, &parameters_before_step_)) {
      parameters = parameters_before_step_;
      // The optimizer's state has absorbed the failed step: start it afresh.
      optimizer_ = make_optimizer<float>(options_.optimizer, model_.parameters().size());
      throw std::runtime_error("training diverged at step " + std::to_string(step_ + 1) +
                               ": the update made a parameter infinite or NaN; the parameters " +
                               "are kept as they were, try a lower learningRate");
    }
    ++step_;
    cursor_ += count;
    call_terms.add(terms, count);
    epoch_terms_.add(terms, count);
    report.batches += 1;
    report.samples += count;
    const BatchReport batch{
        epoch_, step_, (cursor_ + batch_size - 1) / batch_size, batches_per_epoch, count, loss};
    if (on_batch && !on_batch(batch)) {
      report.stopped = true;
      break;
    }
  }
  report.step = step_;
  report.terms = call_terms.mean();
  report.epoch_terms = epoch_terms_.mean();
  report.epoch_finished = !in_epoch();
  return report;
}

}  // namespace latentlab
