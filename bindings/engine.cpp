// The embind surface of the engine: one model handle, one dataset handle and
// a few free functions, all taking and returning plain JS values. Arrays come
// in with one copy and leave as fresh copies (never views into the heap,
// which die when it grows). Every entry point runs inside `guarded`, so a C++
// exception reaches JS as an Error carrying its message. A model's
// configuration is read and checked by the core's schema (model_schema.h);
// the training options' defaults and checks belong to the TypeScript layer
// (src/options.ts). This file converts.
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cstdint>
#include <limits>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "autoencoder.h"
#include "boundary.h"
#include "dataset.h"
#include "evaluation.h"
#include "idx.h"
#include "json_value.h"
#include "metrics.h"
#include "model_file.h"
#include "model_schema.h"
#include "noise.h"
#include "parallel.h"
#include "pca.h"
#include "seeds.h"
#include "statistics_js.h"
#include "trainer.h"

using emscripten::val;
using namespace latentlab;
using namespace latentlab::bindings;

namespace {

// A configuration from JS, read and checked by the schema as a file's is.
AutoencoderConfig config_from_js(const val& options) {
  return read_model_config(json_from_val(options, ""));
}

TrainOptions train_options_from_js(const val& options) {
  TrainOptions train;
  train.batch_size = options["batchSize"].as<int>();
  train.optimizer.kind = parse_optimizer(options["optimizer"].as<std::string>());
  train.optimizer.learning_rate = options["learningRate"].as<double>();
  train.optimizer.momentum = options["momentum"].as<double>();
  train.optimizer.beta1 = options["beta1"].as<double>();
  train.optimizer.beta2 = options["beta2"].as<double>();
  train.optimizer.epsilon = options["epsilon"].as<double>();
  return train;
}

val loss_terms_to_js(const LossTerms& terms) {
  val result = val::object();
  result.set("reconstruction", terms.reconstruction);
  result.set("sparsity", terms.sparsity);
  result.set("contractive", terms.contractive);
  result.set("kl", terms.kl);
  return result;
}

// Data copied once into the heap (core/dataset.h), so that training in
// slices and reading it again (evaluation, codes...) do not copy it again.
class DatasetHandle {
 public:
  // A factory, not a bound constructor: a failure then unwinds in C++ and
  // frees everything before JS sees the Error. `name` comes as a val, not a
  // std::string: the Error skips embind's freeing of a string argument's
  // copy in the heap.
  static DatasetHandle* create(const val& values, int features, const val& name) {
    return guarded([&] {
      const std::string text = name.as<std::string>();
      return new DatasetHandle(
          Dataset(matrix_from_js(values, features, text.c_str()), text.c_str()));
    });
  }
  // Bytes (e.g. pixels) kept as bytes, each standing for byte * scale: the
  // data takes a quarter of the memory of its floats, here and in JS.
  static DatasetHandle* from_bytes(const val& bytes, int features, double scale, const val& name) {
    return guarded([&] {
      return new DatasetHandle(
          Dataset(emscripten::convertJSArrayToNumberVector<std::uint8_t>(bytes), features, scale,
                  name.as<std::string>().c_str()));
    });
  }
  const Dataset& dataset() const { return dataset_; }
  double count() const { return static_cast<double>(dataset_.count()); }
  int features() const { return dataset_.features(); }
  double min() const { return dataset_.min(); }
  double max() const { return dataset_.max(); }

 private:
  explicit DatasetHandle(Dataset dataset) : dataset_(std::move(dataset)) {}
  Dataset dataset_;
};

class Model {
 public:
  static Model* create(const val& config) {
    return guarded([&] { return new Model(config_from_js(config)); });
  }
  // A model from the bytes of a model file (core/model_file.h).
  static Model* load(const val& bytes) {
    return guarded([&] {
      Autoencoder<float> loaded = [&] {
        const std::vector<std::uint8_t> buffer =
            emscripten::convertJSArrayToNumberVector<std::uint8_t>(bytes);
        return load_model_file(buffer.data(), buffer.size());
      }();
      return new Model(std::move(loaded));
    });
  }
  // The model file's bytes, as a fresh Uint8Array, its tensors of `dtype`
  // ("F32" or "F16", checked by src/options.ts; a val, as `name` above).
  val save(const val& dtype) const {
    return guarded([&] {
      const std::string name = dtype.as<std::string>();
      const std::optional<TensorType> type = tensor_type_named(name);
      if (!type) throw OutOfRange("dtype must be 'F32' or 'F16', got '" + name + "'");
      const std::vector<std::uint8_t> bytes = save_model_file(model_, *type);
      return val::global("Uint8Array")
          .new_(emscripten::typed_memory_view(bytes.size(), bytes.data()));
    });
  }
  // The configuration as JSON, with the names of the JS API (as in the file).
  std::string config_json() const { return model_config_json(model_.config()); }

  int input_size() const { return model_.input_size(); }
  int latent_size() const { return model_.latent_size(); }
  double parameter_count() const { return static_cast<double>(model_.parameters().size()); }

  val encode(const DatasetHandle& data) const {
    return guarded([&] { return float32_array_from(latentlab::encode(model_, data.dataset())); });
  }
  val decode(const val& codes) const {
    return guarded([&] {
      return float32_array_from(model_.decode(matrix_from_js(codes, latent_size(), "codes")));
    });
  }
  val reconstruct(const val& inputs) const {
    return guarded([&] {
      return float32_array_from(model_.reconstruct(matrix_from_js(inputs, input_size(), "images")));
    });
  }
  val evaluate(const DatasetHandle& data) const {
    return guarded([&] {
      const Evaluation e =
          latentlab::evaluate(model_, data.dataset(), evaluation_seed(model_.config().seed));
      val result = val::object();
      result.set("loss", e.terms.total());
      result.set("reconstruction", e.terms.reconstruction);
      result.set("sparsity", e.terms.sparsity);
      result.set("contractive", e.terms.contractive);
      result.set("kl", e.terms.kl);
      if (e.negative_elbo) result.set("negativeElbo", *e.negative_elbo);
      result.set("meanActivation", e.mean_activation);
      result.set("fractionInactive", e.fraction_inactive);
      if (e.mean_jacobian_norm) result.set("meanJacobianNorm", *e.mean_jacobian_norm);
      return result;
    });
  }
  val hidden_activations(const DatasetHandle& data, int layer) const {
    return guarded([&] {
      if (layer < 0)
        throw std::invalid_argument("layer must be >= 0, got " + std::to_string(layer));
      return float32_array_from(
          latentlab::hidden_activations(model_, data.dataset(), static_cast<std::size_t>(layer)));
    });
  }
  // Statistics of encoder layer `layer`'s activations (core/statistics.h).
  val activation_statistics(const DatasetHandle& data, int layer, int bins) const {
    return guarded([&] {
      if (layer < 0) throw OutOfRange("layer must be >= 0, got " + std::to_string(layer));
      const auto block = static_cast<std::size_t>(layer);
      const Matrix<float> values = latentlab::hidden_activations(model_, data.dataset(), block);
      return activation_statistics_to_js(
          latentlab::activation_statistics(values, model_.block_activation(block), bins));
    });
  }
  val anomaly_scores(const DatasetHandle& data) const {
    return guarded([&] {
      const Vector<float> values = latentlab::anomaly_scores(model_, data.dataset()).cast<float>();
      return float32_array_from(values.data(), static_cast<std::size_t>(values.size()));
    });
  }
  // Decodes `count` codes drawn from the prior N(0, I) with a generator seeded by `seed`.
  val sample(int count, double seed) const {
    return guarded(
        [&] { return float32_array_from(model_.sample(count, static_cast<std::uint64_t>(seed))); });
  }
  // Decodes `steps` codes evenly spaced from the code of image `a` to that of `b`.
  val interpolate(const val& a, const val& b, int steps) const {
    return guarded([&] {
      return float32_array_from(model_.interpolate(matrix_from_js(a, input_size(), "a"),
                                                   matrix_from_js(b, input_size(), "b"), steps));
    });
  }
  // Every tensor as the model file names and lays it out (PyTorch's shapes,
  // row-major): [{ name, shape, values }].
  val tensors() const {
    return guarded([&] {
      val list = val::array();
      const float* parameters = model_.parameters().data();
      for (const NamedTensor& tensor : model_.tensors()) {
        std::vector<float> values(tensor.view.count());
        for (std::uint64_t i = 0; i < values.size(); ++i) {
          values[i] = parameters[tensor.view.offset + tensor.view.buffer_index(i)];
        }
        val shape = val::array();
        for (std::uint64_t extent : tensor.view.shape)
          shape.call<void>("push", static_cast<double>(extent));
        val entry = val::object();
        entry.set("name", tensor.name);
        entry.set("shape", shape);
        entry.set("values", float32_array_from(values.data(), values.size()));
        list.call<void>("push", entry);
      }
      return list;
    });
  }
  val parameters() const {
    return float32_array_from(model_.parameters().data(),
                              static_cast<std::size_t>(model_.parameters().size()));
  }

  // Trains up to `max_batches` mini-batches (the trainer continues the epoch
  // under way when the data is the same). `on_batch(report)` is called after
  // every mini-batch; returning false stops.
  val train(const DatasetHandle& data, const val& options, double max_batches,
            const val& on_batch) {
    return guarded([&] {
      trainer_.configure(train_options_from_js(options));
      const TrainReport report =
          trainer_.train(data.dataset(), clamp_to_long(max_batches), [&](const BatchReport& batch) {
            if (on_batch.isUndefined()) return true;
            val progress = val::object();
            progress.set("epoch", static_cast<double>(batch.epoch));
            progress.set("step", static_cast<double>(batch.step));
            progress.set("batch", static_cast<double>(batch.batch));
            progress.set("batchesPerEpoch", static_cast<double>(batch.batches_per_epoch));
            progress.set("samples", static_cast<double>(batch.samples));
            progress.set("loss", batch.loss);
            return !on_batch(progress).strictlyEquals(val(false));
          });
      val result = val::object();
      result.set("epoch", static_cast<double>(report.epoch));
      result.set("step", static_cast<double>(report.step));
      result.set("batches", static_cast<double>(report.batches));
      result.set("samples", static_cast<double>(report.samples));
      result.set("loss", report.terms.total());
      result.set("epochLoss", report.epoch_terms.total());
      result.set("terms", loss_terms_to_js(report.terms));
      result.set("epochTerms", loss_terms_to_js(report.epoch_terms));
      result.set("epochFinished", report.epoch_finished);
      result.set("stopped", report.stopped);
      return result;
    });
  }

 private:
  explicit Model(Autoencoder<float> model)
      : model_(std::move(model)), trainer_(model_, training_seed(model_.config().seed)) {}
  explicit Model(const AutoencoderConfig& config)
      : model_(config), trainer_(model_, training_seed(config.seed)) {}

  Autoencoder<float> model_;
  Trainer trainer_;
};

class PcaHandle {
 public:
  static PcaHandle* create(int input_size, int components) {
    return guarded([&] { return new PcaHandle(input_size, components); });
  }
  void fit(const DatasetHandle& data) {
    guarded([&] { pca_.fit(data.dataset()); });
  }
  val encode(const DatasetHandle& data) const {
    return guarded([&] { return float32_array_from(pca_.encode(data.dataset())); });
  }
  val decode(const val& codes) const {
    return guarded([&] {
      return float32_array_from(pca_.decode(matrix_from_js(codes, pca_.components(), "codes")));
    });
  }
  val reconstruct(const val& inputs) const {
    return guarded([&] {
      return float32_array_from(
          pca_.reconstruct(matrix_from_js(inputs, pca_.input_size(), "images")));
    });
  }
  val anomaly_scores(const DatasetHandle& data) const {
    return guarded([&] {
      const Vector<float> scores = pca_.anomaly_scores(data.dataset()).cast<float>();
      return float32_array_from(scores.data(), static_cast<std::size_t>(scores.size()));
    });
  }
  // The mean squared reconstruction error over samples and features.
  double evaluate(const DatasetHandle& data) const {
    return guarded([&] { return pca_.mean_squared_error(data.dataset()); });
  }
  val interpolate(const val& a, const val& b, int steps) const {
    return guarded([&] {
      const Matrix<float> from = matrix_from_js(a, pca_.input_size(), "a");
      const Matrix<float> to = matrix_from_js(b, pca_.input_size(), "b");
      if (from.cols() != 1 || to.cols() != 1)
        throw std::invalid_argument("a and b must each be one input");
      return float32_array_from(pca_.interpolate(from.col(0), to.col(0), steps));
    });
  }
  // components x input_size, row per component: the transpose of P's column-major storage.
  val component_vectors() const {
    return guarded([&] {
      const Matrix<float> rows = pca_.components_matrix().transpose();
      return float32_array_from(rows);
    });
  }
  val explained_variance() const {
    return guarded([&] {
      const Vector<float> values = pca_.explained_variance().cast<float>();
      return float32_array_from(values.data(), static_cast<std::size_t>(values.size()));
    });
  }

 private:
  PcaHandle(int input_size, int components) : pca_(input_size, components) {}
  Pca pca_;
};

// A corrupted copy of `images` (rows of `width` values in [0, 1]); `noise` is
// read as a model's noise option is.
val corrupt_images(const val& images, int width, const val& noise, double seed) {
  return guarded([&] {
    const NoiseConfig config = read_noise_config(json_from_val(noise, "noise"), "noise");
    Matrix<float> values = matrix_from_js(images, width, "images");
    Rng rng(static_cast<std::uint64_t>(seed));
    corrupt(values, config, rng);
    return float32_array_from(values);
  });
}

double roc_auc_of(const val& scores, const val& labels) {
  return guarded([&] {
    const std::vector<double> values = emscripten::convertJSArrayToNumberVector<double>(scores);
    const std::vector<double> flags = emscripten::convertJSArrayToNumberVector<double>(labels);
    std::vector<bool> positive(flags.size());
    for (std::size_t i = 0; i < flags.size(); ++i) positive[i] = flags[i] != 0;
    return roc_auc(values, positive);
  });
}

val parse_idx_file(const val& bytes) {
  return guarded([&] {
    const std::vector<std::uint8_t> buffer =
        emscripten::convertJSArrayToNumberVector<std::uint8_t>(bytes);
    const IdxArray array = parse_idx(buffer.data(), buffer.size());
    val shape = val::array();
    for (std::uint32_t extent : array.shape) shape.call<void>("push", static_cast<double>(extent));
    val result = val::object();
    result.set("shape", shape);
    result.set("data",
               val::global("Uint8Array")
                   .new_(emscripten::typed_memory_view(array.values.size(), array.values.data())));
    return result;
  });
}

// The schema of a model's configuration, as JSON (core/model_schema.h).
std::string model_schema() { return model_schema_json().dump(); }

// A configuration checked and resolved (every default filled in), as JSON.
std::string resolve_model_config(const val& options) {
  return guarded([&] { return write_model_config(config_from_js(options)).dump(); });
}

// Bytes of the heap handed out by malloc and not yet freed.
double heap_bytes_in_use() { return static_cast<double>(mallinfo().uordblks); }

std::string simd_instruction_sets() { return Eigen::SimdInstructionSetsInUse(); }

// The threaded engine runs the kernels on `count` threads (its pool of
// workers was started with it); the single-thread engine has only 1.
void use_threads(int count) {
  guarded([&] {
#if defined(__EMSCRIPTEN_PTHREADS__)
    latentlab::set_thread_count(count);
#else
    if (count != 1) throw std::logic_error("this engine was built without threads");
#endif
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(latentlab) {
  using namespace emscripten;
  class_<DatasetHandle>("Dataset")
      .constructor(&DatasetHandle::create, allow_raw_pointers())
      .class_function("fromBytes", &DatasetHandle::from_bytes, allow_raw_pointers())
      .function("count", &DatasetHandle::count)
      .function("features", &DatasetHandle::features)
      .function("min", &DatasetHandle::min)
      .function("max", &DatasetHandle::max);
  class_<Model>("Model")
      .constructor(&Model::create, allow_raw_pointers())
      .class_function("load", &Model::load, allow_raw_pointers())
      .function("save", &Model::save)
      .function("configJson", &Model::config_json)
      .function("inputSize", &Model::input_size)
      .function("latentSize", &Model::latent_size)
      .function("parameterCount", &Model::parameter_count)
      .function("encode", &Model::encode)
      .function("decode", &Model::decode)
      .function("reconstruct", &Model::reconstruct)
      .function("evaluate", &Model::evaluate)
      .function("hiddenActivations", &Model::hidden_activations)
      .function("anomalyScores", &Model::anomaly_scores)
      .function("activationStatistics", &Model::activation_statistics)
      .function("sample", &Model::sample)
      .function("interpolate", &Model::interpolate)
      .function("parameters", &Model::parameters)
      .function("tensors", &Model::tensors)
      .function("train", &Model::train);
  class_<PcaHandle>("PCA")
      .constructor(&PcaHandle::create, allow_raw_pointers())
      .function("fit", &PcaHandle::fit)
      .function("encode", &PcaHandle::encode)
      .function("decode", &PcaHandle::decode)
      .function("reconstruct", &PcaHandle::reconstruct)
      .function("anomalyScores", &PcaHandle::anomaly_scores)
      .function("evaluate", &PcaHandle::evaluate)
      .function("interpolate", &PcaHandle::interpolate)
      .function("componentVectors", &PcaHandle::component_vectors)
      .function("explainedVariance", &PcaHandle::explained_variance);
  function("corrupt", &corrupt_images);
  function("rocAuc", &roc_auc_of);
  function("parseIdx", &parse_idx_file);
  function("heapBytes", &heap_bytes_in_use);
  function("modelSchema", &model_schema);
  function("resolveModelConfig", &resolve_model_config);
  function("simdInstructionSets", &simd_instruction_sets);
  function("setThreadCount", &use_threads);
  function("threadCount", &latentlab::thread_count);
}
