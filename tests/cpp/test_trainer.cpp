// Trainer: it learns, it is deterministic for a seed and gives the
// parameters the engine gave before the layer reshape, slicing an epoch does
// not change the result, the same data (however it arrives) continues an
// epoch and other data starts one, the callback can stop it, batch
// bookkeeping with a partial last batch, divergence, and option validation.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "dataset.h"
#include "test_support.h"
#include "trainer.h"

using latentlab::Autoencoder;
using latentlab::AutoencoderConfig;
using latentlab::BatchReport;
using latentlab::Dataset;
using latentlab::Matrix;
using latentlab::OptimizerKind;
using latentlab::Trainer;
using latentlab::TrainOptions;
using latentlab::TrainReport;

namespace {

constexpr long kAllBatches = std::numeric_limits<long>::max();

// 16 -> 8 -> 2 -> 8 -> 16, relu hidden, sigmoid output, mse.
AutoencoderConfig small_config() {
  AutoencoderConfig config;
  config.input_size = 16;
  config.encoder = {8};
  config.latent_size = 2;
  config.seed = 1;
  return config;
}

// A model whose identity output lets the loss grow without bound.
AutoencoderConfig unbounded_config() {
  AutoencoderConfig config = small_config();
  config.output_activation = latentlab::Activation::identity;
  return config;
}

TrainOptions adam_options(int batch_size, double learning_rate) {
  TrainOptions options;
  options.batch_size = batch_size;
  options.optimizer.kind = OptimizerKind::adam;
  options.optimizer.learning_rate = learning_rate;
  return options;
}

// The low-rank data of test_support.h as the trainer takes it.
Dataset low_rank_dataset(int samples, std::uint64_t seed) {
  return Dataset(latentlab_test::low_rank_data(samples, seed), "data");
}

// Trains `epochs` whole epochs and returns the last report: each call
// finishes an epoch, so the next one starts a new epoch.
TrainReport train_epochs(Trainer& trainer, const Dataset& data, int epochs,
                         const std::function<bool(const BatchReport&)>& on_batch = nullptr) {
  TrainReport report{};
  for (int e = 0; e < epochs; ++e) {
    report = trainer.train(data, kAllBatches, on_batch);
    CHECK(report.epoch_finished);
  }
  return report;
}

}  // namespace

TEST_CASE("training on low-rank data lowers the loss substantially") {
  const Matrix<float> data = latentlab_test::low_rank_data(200, 17);
  Autoencoder<float> model(small_config());
  Trainer trainer(model, 5);
  trainer.configure(adam_options(20, 1e-2));
  const Dataset dataset(data, "data");

  const double initial = model.loss(data);
  // The loss of always predicting each feature's mean: beating it by far
  // means the 2-D code carries the samples' structure, not just an average.
  const Matrix<float> centred = data.colwise() - data.rowwise().mean();
  const double mean_predictor = centred.squaredNorm() / static_cast<double>(data.size());

  const TrainReport report = train_epochs(trainer, dataset, 30);
  const double final_loss = model.loss(data);
  CHECK(report.epoch == 30);
  CHECK(report.step == 30 * 10);
  CHECK(model.parameters().allFinite());
  CHECK(final_loss < 0.1 * initial);
  CHECK(final_loss < 0.2 * mean_predictor);
  // The last epoch's reported mean loss is close to the loss on the data.
  CHECK(report.epoch_terms.total() == doctest::Approx(final_loss).epsilon(0.5));
}

TEST_CASE("the same seeds give bitwise-identical parameters") {
  const Dataset data = low_rank_dataset(60, 3);
  Autoencoder<float> a(small_config()), b(small_config()), c(small_config());
  Trainer ta(a, 42), tb(b, 42), tc(c, 43);
  for (Trainer* t : {&ta, &tb, &tc}) t->configure(adam_options(8, 1e-2));
  train_epochs(ta, data, 3);
  train_epochs(tb, data, 3);
  train_epochs(tc, data, 3);
  CHECK(latentlab_test::count_differences(a.parameters(), b.parameters()) == 0);
  // Another trainer seed shuffles differently, hence different parameters.
  CHECK(latentlab_test::count_differences(a.parameters(), c.parameters()) > 0);
}

TEST_CASE("training an epoch in slices of 3 batches equals training it whole") {
  // 100 samples, batch 10: slices of 3, 3, 3 and 1 batches. Two epochs, so the
  // second shuffle must also come out the same.
  const Dataset data = low_rank_dataset(100, 5);
  Autoencoder<float> whole(small_config()), sliced(small_config());
  Trainer whole_trainer(whole, 8), sliced_trainer(sliced, 8);
  whole_trainer.configure(adam_options(10, 1e-2));
  sliced_trainer.configure(adam_options(10, 1e-2));

  for (int epoch = 1; epoch <= 2; ++epoch) {
    CAPTURE(epoch);
    const TrainReport whole_report = whole_trainer.train(data, kAllBatches, nullptr);
    CHECK(whole_report.batches == 10);
    CHECK(whole_report.epoch_finished);

    std::vector<long> slice_batches;
    TrainReport report{};
    do {
      report = sliced_trainer.train(data, 3, nullptr);
      slice_batches.push_back(report.batches);
      REQUIRE(slice_batches.size() <= 4);
    } while (!report.epoch_finished);
    CHECK(slice_batches == std::vector<long>{3, 3, 3, 1});
    CHECK(report.epoch == epoch);
    CHECK(report.step == whole_report.step);
    CHECK(report.epoch_terms.total() ==
          doctest::Approx(whole_report.epoch_terms.total()).epsilon(1e-12));
    CHECK(latentlab_test::count_differences(sliced.parameters(), whole.parameters()) == 0);
  }
}

TEST_CASE("a callback returning false stops after that batch") {
  const Dataset data = low_rank_dataset(40, 6);
  Autoencoder<float> stopped(small_config()), twin(small_config()), whole(small_config());
  Trainer trainer(stopped, 2), twin_trainer(twin, 2), whole_trainer(whole, 2);
  for (Trainer* t : {&trainer, &twin_trainer, &whole_trainer}) t->configure(adam_options(5, 1e-2));

  long calls = 0;
  const TrainReport report = trainer.train(data, kAllBatches, [&](const BatchReport& batch) {
    ++calls;
    return batch.batch < 2;  // stop once the second batch is done
  });
  CHECK(calls == 2);
  CHECK(report.stopped);
  CHECK_FALSE(report.epoch_finished);
  CHECK(report.batches == 2);
  CHECK(report.samples == 10);
  CHECK(report.step == 2);
  CHECK(trainer.in_epoch());
  // The stopping batch's update was applied: the same as asking for 2 batches.
  twin_trainer.train(data, 2, nullptr);
  CHECK(latentlab_test::count_differences(stopped.parameters(), twin.parameters()) == 0);

  // Resuming finishes the epoch exactly as an uninterrupted run would.
  const TrainReport rest = trainer.train(data, kAllBatches, nullptr);
  CHECK_FALSE(rest.stopped);
  CHECK(rest.epoch_finished);
  CHECK(rest.batches == 6);
  CHECK(rest.epoch == 1);
  whole_trainer.train(data, kAllBatches, nullptr);
  CHECK(latentlab_test::count_differences(stopped.parameters(), whole.parameters()) == 0);
}

TEST_CASE("10 samples in batches of 4 make 3 batches, the last one partial") {
  const Dataset data = low_rank_dataset(10, 7);
  Autoencoder<float> model(small_config());
  Trainer trainer(model, 4);
  trainer.configure(adam_options(4, 1e-3));

  for (long epoch = 1; epoch <= 2; ++epoch) {
    CAPTURE(epoch);
    CHECK_FALSE(trainer.in_epoch());  // so train() starts the next epoch
    std::vector<BatchReport> batches;
    const TrainReport report = trainer.train(data, kAllBatches, [&](const BatchReport& batch) {
      batches.push_back(batch);
      return true;
    });
    CHECK(report.batches == 3);
    CHECK(report.samples == 10);
    CHECK(report.epoch == epoch);
    CHECK(report.step == 3 * epoch);
    CHECK(report.epoch_finished);
    CHECK_FALSE(report.stopped);
    CHECK_FALSE(trainer.in_epoch());
    REQUIRE(batches.size() == 3);
    for (long i = 0; i < 3; ++i) {
      CAPTURE(i);
      CHECK(batches[i].epoch == epoch);
      CHECK(batches[i].batch == i + 1);
      CHECK(batches[i].batches_per_epoch == 3);
      CHECK(batches[i].step == 3 * (epoch - 1) + i + 1);
      CHECK(batches[i].samples == (i < 2 ? 4 : 2));
    }
    // Sample-weighted mean: batches of 4, 4 and 2 samples.
    const double weighted = (4 * batches[0].loss + 4 * batches[1].loss + 2 * batches[2].loss) / 10;
    CHECK(report.terms.total() == doctest::Approx(weighted).epsilon(1e-12));
    CHECK(report.epoch_terms.total() == doctest::Approx(weighted).epsilon(1e-12));
  }
  // With the epoch done, the next call starts epoch 3, even for one batch.
  const TrainReport next = trainer.train(data, 1, nullptr);
  CHECK(next.epoch == 3);
  CHECK(next.batches == 1);
  CHECK(next.samples == 4);
  CHECK(trainer.in_epoch());
}

TEST_CASE("the reported batch loss is the loss before that batch's update") {
  // One batch holding every sample: its loss is the model's loss on the data.
  const Matrix<float> data = latentlab_test::low_rank_data(12, 8);
  Autoencoder<float> model(small_config());
  Trainer trainer(model, 1);
  trainer.configure(adam_options(12, 1e-2));
  const double before = model.loss(data);
  const TrainReport report = trainer.train(Dataset(data, "data"), kAllBatches, nullptr);
  CHECK(report.batches == 1);
  CHECK(report.terms.total() == doctest::Approx(before).epsilon(1e-6));
  CHECK(model.loss(data) < before);
}

TEST_CASE("reconfiguring with the same optimizer keeps its state") {
  // Re-sending identical options mid-epoch must not reset Adam's moments;
  // switching to SGD and back does reset them, which changes the result.
  const Dataset data = low_rank_dataset(40, 9);
  Autoencoder<float> plain(small_config()), same(small_config()), switched(small_config());
  Trainer plain_trainer(plain, 1), same_trainer(same, 1), switched_trainer(switched, 1);
  const TrainOptions options = adam_options(5, 1e-2);
  for (Trainer* t : {&plain_trainer, &same_trainer, &switched_trainer}) {
    t->configure(options);
    t->train(data, 4, nullptr);
  }
  same_trainer.configure(options);
  TrainOptions sgd = options;
  sgd.optimizer.kind = OptimizerKind::sgd;
  switched_trainer.configure(sgd);
  switched_trainer.configure(options);
  for (Trainer* t : {&plain_trainer, &same_trainer, &switched_trainer}) {
    t->train(data, kAllBatches, nullptr);
  }
  CHECK(latentlab_test::count_differences(same.parameters(), plain.parameters()) == 0);
  CHECK(latentlab_test::count_differences(switched.parameters(), plain.parameters()) > 0);
}

// Trains `config` with one optimizer and learning rate for up to 20 epochs,
// recording the parameters after every successful step. Returns the error
// message if training diverged, or an empty string.
std::string train_until_failure(Autoencoder<float>& model, OptimizerKind kind, double learning_rate,
                                latentlab::Vector<float>& last_good) {
  const Dataset data = low_rank_dataset(40, 3);
  Trainer trainer(model, 5);
  TrainOptions options;
  options.batch_size = 8;
  options.optimizer.kind = kind;
  options.optimizer.learning_rate = learning_rate;
  trainer.configure(options);
  last_good = model.parameters();
  auto remember = [&](const BatchReport&) {
    last_good = model.parameters();
    return true;
  };
  try {
    train_epochs(trainer, data, 20, remember);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "";
}

TEST_CASE("divergence throws 'diverged' and keeps the parameters of the last good step") {
  // Learning rates far too large for any optimizer: the loss or a gradient
  // stops being finite, or a step from finite gradients overflows a parameter
  // (SGD: p -= lr v). Either way the model must be left as it was after the
  // last successful step.
  const std::pair<OptimizerKind, double> cases[] = {
      {OptimizerKind::adam, 1e6}, {OptimizerKind::adam, 1e30}, {OptimizerKind::sgd, 1e2},
      {OptimizerKind::sgd, 1e4},  {OptimizerKind::sgd, 1e6},   {OptimizerKind::sgd, 1e30}};
  // Named, not a structured binding: clang 14 cannot capture one (CAPTURE).
  for (const auto& test_case : cases) {
    const auto kind = test_case.first;
    const auto learning_rate = test_case.second;
    CAPTURE(std::string(kind == OptimizerKind::adam ? "adam" : "sgd"));
    CAPTURE(learning_rate);
    Autoencoder<float> model(unbounded_config());
    latentlab::Vector<float> last_good;
    const std::string error = train_until_failure(model, kind, learning_rate, last_good);
    CHECK(error.find("diverged") != std::string::npos);
    CHECK(model.parameters().allFinite());
    CHECK(latentlab_test::count_differences(model.parameters(), last_good) == 0);
  }
}

TEST_CASE("no learning rate leaves a non-finite parameter, whether training diverges or not") {
  // Between "trains" and "clearly diverges" lie rates where, for instance,
  // Adam's g^2 overflows float from finite gradients: whatever happens there,
  // the model must stay finite and, on an error, be the last good one.
  for (OptimizerKind kind : {OptimizerKind::adam, OptimizerKind::sgd}) {
    for (double learning_rate : {1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e10, 1e20, 1e30, 1e39}) {
      CAPTURE(std::string(kind == OptimizerKind::adam ? "adam" : "sgd"));
      CAPTURE(learning_rate);
      Autoencoder<float> model(unbounded_config());
      latentlab::Vector<float> last_good;
      const std::string error = train_until_failure(model, kind, learning_rate, last_good);
      if (!error.empty()) CHECK(error.find("diverged") != std::string::npos);
      CHECK(model.parameters().allFinite());
      CHECK(latentlab_test::count_differences(model.parameters(), last_good) == 0);
    }
  }
}

TEST_CASE("a learning rate beyond float range fails at the first step, keeping the initial model") {
  // 1e39 is a finite double, so configure accepts it, but it is inf in float:
  // the first update makes every parameter inf or NaN and must be undone.
  const Dataset data = low_rank_dataset(40, 3);
  Autoencoder<float> model(small_config());
  const latentlab::Vector<float> initial = model.parameters();
  Trainer trainer(model, 5);
  trainer.configure(adam_options(8, 1e39));
  long batches = 0;
  CHECK_THROWS_WITH_AS(trainer.train(data, kAllBatches,
                                     [&](const BatchReport&) {
                                       ++batches;
                                       return true;
                                     }),
                       doctest::Contains("diverged at step 1"), std::runtime_error);
  CHECK(batches == 0);
  CHECK(latentlab_test::count_differences(model.parameters(), initial) == 0);
  CHECK(trainer.in_epoch());
}

// A rolled-back step must not leave its gradient in Adam's moments (or SGD's
// velocity): retrying at a lower learning rate must do what a fresh optimizer
// would (a leftover moment made Adam's first update about 1.34 lr instead of lr).
TEST_CASE("after a rolled-back step, a lower learning rate trains as if the step never happened") {
  const Dataset data = low_rank_dataset(40, 3);
  Autoencoder<float> recovered(small_config()), fresh(small_config());
  Trainer recovered_trainer(recovered, 5), fresh_trainer(fresh, 5);

  recovered_trainer.configure(adam_options(8, 1e39));
  CHECK_THROWS_AS(recovered_trainer.train(data, kAllBatches, nullptr), std::runtime_error);
  recovered_trainer.configure(adam_options(8, 1e-3));  // same optimizer kind: state kept
  const TrainReport report = recovered_trainer.train(data, kAllBatches, nullptr);
  CHECK(report.step == 5);
  CHECK(report.epoch == 1);  // the epoch the failed step began, continued

  fresh_trainer.configure(adam_options(8, 1e-3));
  fresh_trainer.train(data, kAllBatches, nullptr);
  CHECK(latentlab_test::count_differences(recovered.parameters(), fresh.parameters()) == 0);
}

TEST_CASE("configure rejects a bad batch size or learning rate, naming the option") {
  Autoencoder<float> model(small_config());
  Trainer trainer(model, 1);
  TrainOptions options = adam_options(0, 1e-3);
  CHECK_THROWS_WITH_AS(trainer.configure(options), doctest::Contains("batchSize"),
                       std::invalid_argument);
  options.batch_size = -3;
  CHECK_THROWS_WITH_AS(trainer.configure(options), doctest::Contains("batchSize"),
                       std::invalid_argument);
  options.batch_size = 4;
  for (double bad : {0.0, -1e-3, std::nan(""), std::numeric_limits<double>::infinity()}) {
    CAPTURE(bad);
    options.optimizer.learning_rate = bad;
    CHECK_THROWS_WITH_AS(trainer.configure(options), doctest::Contains("learningRate"),
                         std::invalid_argument);
  }
  options.optimizer.learning_rate = 1e-3;
  CHECK_NOTHROW(trainer.configure(options));
}

TEST_CASE("train() rejects misuse") {
  const Dataset data = low_rank_dataset(10, 1);
  Autoencoder<float> model(small_config());
  Trainer trainer(model, 1);
  CHECK_THROWS_AS(trainer.train(data, 1, nullptr), std::logic_error);  // not configured
  trainer.configure(adam_options(4, 1e-3));
  // Data without samples cannot even be made into a Dataset.
  CHECK_THROWS_WITH_AS(Dataset(Matrix<float>::Zero(16, 0), "data"), doctest::Contains("no samples"),
                       std::invalid_argument);
  const Dataset wrong_features(Matrix<float>::Zero(15, 10), "data");
  CHECK_THROWS_WITH_AS(trainer.train(wrong_features, 1, nullptr),
                       doctest::Contains("15 features per sample, the model expects 16"),
                       std::invalid_argument);
  CHECK_FALSE(trainer.in_epoch());  // the rejected call began no epoch
  // None of the rejected calls touched the parameters.
  CHECK(latentlab_test::count_differences(model.parameters(),
                                          Autoencoder<float>(small_config()).parameters()) == 0);
}

// ---------------------------------------------------------------------------
// Which data continues an epoch

TEST_CASE("the same contents in another Dataset object continue the epoch") {
  // 100 samples, batch 10: 3 batches from one Dataset, the other 7 from a
  // second one holding a copy of the same values, equal to 10 from one.
  const Matrix<float> values = latentlab_test::low_rank_data(100, 5);
  const Dataset first(values, "data"), second(Matrix<float>(values), "data");
  REQUIRE(first.fingerprint() == second.fingerprint());
  Autoencoder<float> split(small_config()), whole(small_config());
  Trainer split_trainer(split, 8), whole_trainer(whole, 8);
  split_trainer.configure(adam_options(10, 1e-2));
  whole_trainer.configure(adam_options(10, 1e-2));

  const TrainReport head = split_trainer.train(first, 3, nullptr);
  CHECK(head.epoch == 1);
  CHECK(head.batches == 3);
  CHECK_FALSE(head.epoch_finished);
  const TrainReport tail = split_trainer.train(second, kAllBatches, nullptr);
  CHECK(tail.epoch == 1);
  CHECK(tail.batches == 7);
  CHECK(tail.epoch_finished);
  const TrainReport reference = whole_trainer.train(first, kAllBatches, nullptr);
  CHECK(tail.step == reference.step);
  CHECK(tail.epoch_terms.total() == doctest::Approx(reference.epoch_terms.total()).epsilon(1e-12));
  CHECK(latentlab_test::count_differences(split.parameters(), whole.parameters()) == 0);
}

TEST_CASE("other contents, or another sample count, start a new epoch") {
  const Matrix<float> values = latentlab_test::low_rank_data(100, 5);
  Matrix<float> changed_values = values;
  changed_values(7, 42) += 0.25f;  // one value of one sample
  const Dataset data(values, "data"), changed(changed_values, "data");
  const Dataset fewer(Matrix<float>(values.leftCols(90)), "data");
  Autoencoder<float> model(small_config());
  Trainer trainer(model, 8);
  trainer.configure(adam_options(10, 1e-2));

  REQUIRE(trainer.train(data, 3, nullptr).epoch == 1);
  // One changed value: a new epoch, run from its start (all 10 batches).
  TrainReport report = trainer.train(changed, kAllBatches, nullptr);
  CHECK(report.epoch == 2);
  CHECK(report.batches == 10);
  CHECK(report.step == 13);
  CHECK(report.epoch_finished);
  // Only this epoch's batches are in its terms.
  CHECK(report.epoch_terms.total() == doctest::Approx(report.terms.total()).epsilon(1e-12));

  // The first 90 samples: a new epoch of 9 batches, even in mid-epoch.
  REQUIRE(trainer.train(data, 2, nullptr).epoch == 3);
  report = trainer.train(fewer, kAllBatches, nullptr);
  CHECK(report.epoch == 4);
  CHECK(report.batches == 9);
  CHECK(report.samples == 90);
  // Switching away in mid-epoch and back does not resume the abandoned
  // epoch: each switch starts a new one.
  REQUIRE(trainer.train(data, 2, nullptr).epoch == 5);
  CHECK(trainer.train(changed, 1, nullptr).epoch == 6);
  report = trainer.train(data, kAllBatches, nullptr);
  CHECK(report.epoch == 7);
  CHECK(report.batches == 10);
}

// ---------------------------------------------------------------------------
// Agreement with the engine before the layer reshape

TEST_CASE("training gives the parameters the engine gave before the reshape, to float rounding") {
  // 16-8-2 models of seed 1, trainer seed 8, batch 10, Adam 1e-2, two epochs
  // of low_rank_data(100, 5). The expected values were recorded from the
  // engine at commit 30cf0c5, whose trainer corrupted the batches and
  // computed gradients from (corrupted inputs, clean targets): the model now
  // corrupts with the same generator in the same order. They matched bit for
  // bit until the four-lane sigmoid and tanh (vector_math.h) replaced libm's,
  // which round differently in the last bits.
  struct Case {
    const char* name;
    AutoencoderConfig config;
    float first, middle, last;  // parameters 0, n / 2 and n - 1
  };
  AutoencoderConfig masked = small_config();
  masked.noise = {latentlab::NoiseKind::mask, 0.3};
  AutoencoderConfig variational = small_config();
  variational.activation = latentlab::Activation::tanh;
  variational.loss = latentlab::ReconstructionLoss::bce;
  variational.variational = {true, 0.5};
  AutoencoderConfig everything = small_config();
  everything.activation = latentlab::Activation::sigmoid;
  everything.noise = {latentlab::NoiseKind::gaussian, 0.1};
  everything.variational = {true, 1.0};
  everything.sparsity = {latentlab::SparsityKind::kl, 0.2, 0.1, 0};
  everything.contractive = {true, 0.1};
  AutoencoderConfig salted = small_config();
  salted.noise = {latentlab::NoiseKind::salt_pepper, 0.2};
  salted.sparsity = {latentlab::SparsityKind::l1, 0.05, 0.05, 1};
  AutoencoderConfig kl_contractive = small_config();
  kl_contractive.activation = latentlab::Activation::sigmoid;
  kl_contractive.sparsity = {latentlab::SparsityKind::kl, 0.2, 0.1, 0};
  kl_contractive.contractive = {true, 0.1};
  const Case cases[] = {
      {"plain", small_config(), 0x1.c9d8e4p-3f, -0x1.27a8a4p-1f, 0x1.7e349ap-10f},
      {"denoising mask", masked, 0x1.db59ap-3f, -0x1.2635dcp-1f, 0x1.93ebdp-11f},
      {"variational", variational, -0x1.710ecp-5f, -0x1.0a1c3ep-4f, -0x1.e17a78p-3f},
      {"denoising+variational+kl+contractive", everything, -0x1.79a992p-4f, -0x1.ef965ep-7f,
       -0x1.0fcb74p-2f},
      {"salt-pepper+l1", salted, -0x1.2a7042p-7f, -0x1.b6efap-2f, -0x1.f2c5c6p-9f},
      // Both penalties on the first block: the old engine added the sparsity
      // gradient to dL/dh first, then the contractive one.
      {"kl+contractive", kl_contractive, -0x1.91b0dep-4f, -0x1.963d54p-2f, -0x1.1feffp-8f}};
  const Dataset data = low_rank_dataset(100, 5);
  for (const Case& c : cases) {
    CAPTURE(std::string(c.name));
    Autoencoder<float> model(c.config);
    Trainer trainer(model, 8);
    TrainOptions options;
    options.batch_size = 10;
    options.optimizer.learning_rate = 1e-2;
    trainer.configure(options);
    train_epochs(trainer, data, 2);
    const latentlab::Vector<float>& p = model.parameters();
    const Eigen::Index n = p.size();
    // Two epochs of float rounding differences, relative to the parameters' scale.
    const double tolerance = 1e-4 * p.cwiseAbs().maxCoeff();
    CHECK(std::abs(p(0) - c.first) <= tolerance);
    CHECK(std::abs(p(n / 2) - c.middle) <= tolerance);
    CHECK(std::abs(p(n - 1) - c.last) <= tolerance);
  }
}
