// The embind surface of the engine: one model handle, one dataset handle and
// a few free functions, all taking and returning plain JS values. Arrays come
// in with one copy and leave as fresh copies (never views into the heap,
// which die when it grows). Every entry point runs inside `guarded`, so a C++
// exception reaches JS as an Error carrying its message. Defaults and option
// validation belong to the TypeScript layer (src/); this file converts.
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cstdint>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "autoencoder.h"
#include "boundary.h"
#include "evaluation.h"
#include "idx.h"
#include "metrics.h"
#include "model_file.h"
#include "noise.h"
#include "pca.h"
#include "trainer.h"

using emscripten::val;
using namespace latentlab;
using namespace latentlab::bindings;

namespace {

std::vector<int> int_vector(const val& array) { return emscripten::vecFromJSArray<int>(array); }

AutoencoderConfig config_from_js(const val& options) {
  AutoencoderConfig config;
  config.input_size = options["inputSize"].as<int>();
  config.encoder = int_vector(options["encoder"]);
  config.latent_size = options["latentSize"].as<int>();
  if (!options["decoder"].isUndefined() && !options["decoder"].isNull()) {
    config.decoder = int_vector(options["decoder"]);
  }
  config.activation = parse_activation(options["activation"].as<std::string>(), "activation");
  if (!options["decoderActivation"].isUndefined()) {
    config.decoder_activation =
        parse_activation(options["decoderActivation"].as<std::string>(), "decoderActivation");
  }
  config.latent_activation =
      parse_activation(options["latentActivation"].as<std::string>(), "latentActivation");
  config.output_activation =
      parse_activation(options["outputActivation"].as<std::string>(), "outputActivation");
  config.loss = parse_loss(options["loss"].as<std::string>());
  config.seed = static_cast<std::uint64_t>(options["seed"].as<double>());
  // The optional parts arrive normalized by the TypeScript layer, or undefined.
  if (const val sparsity = options["sparsity"]; !sparsity.isUndefined()) {
    const std::string kind = sparsity["kind"].as<std::string>();
    if (kind != "l1" && kind != "kl") {
      throw std::invalid_argument("sparsity.kind must be 'l1' or 'kl', got '" + kind + "'");
    }
    config.sparsity.kind = kind == "l1" ? SparsityKind::l1 : SparsityKind::kl;
    config.sparsity.weight = sparsity["weight"].as<double>();
    config.sparsity.target = sparsity["target"].as<double>();
    config.sparsity.layer = sparsity["layer"].as<int>();
  }
  if (const val noise = options["noise"]; !noise.isUndefined()) {
    config.noise.kind = parse_noise_kind(noise["kind"].as<std::string>());
    config.noise.level = noise["level"].as<double>();
  }
  if (const val variational = options["variational"]; !variational.isUndefined()) {
    config.variational.enabled = true;
    config.variational.beta = variational["beta"].as<double>();
  }
  if (const val contractive = options["contractive"]; !contractive.isUndefined()) {
    config.contractive.enabled = true;
    config.contractive.weight = contractive["weight"].as<double>();
  }
  return config;
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

// Training data copied once into the heap, so that training in slices does
// not copy it again; `id` lets a model tell one dataset from another.
class Dataset {
 public:
  // A factory, not a bound constructor: a failure then unwinds in C++ and
  // frees everything before JS sees the Error.
  static Dataset* create(const val& values, int features) {
    return guarded([&] { return new Dataset(matrix_from_js(values, features, "data")); });
  }
  // Bytes (e.g. pixels) times `scale`, converted here so that the caller never
  // holds a Float32Array of the data, 4x the size of the bytes.
  static Dataset* from_bytes(const val& bytes, int features, double scale) {
    return guarded([&] {
      Matrix<float> values = matrix_from_js(bytes, features, "data");  // set() converts to float
      float* data = values.data();
      for (Eigen::Index i = 0; i < values.size(); ++i) {
        data[i] = static_cast<float>(static_cast<double>(data[i]) * scale);
      }
      return new Dataset(std::move(values));
    });
  }
  const Matrix<float>& data() const { return data_; }
  long id() const { return id_; }
  double count() const { return static_cast<double>(data_.cols()); }
  int features() const { return static_cast<int>(data_.rows()); }

 private:
  explicit Dataset(Matrix<float> data) : data_(std::move(data)), id_(++last_id_) {}

  static inline long last_id_ = 0;
  Matrix<float> data_;
  long id_;
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
  // The model file's bytes, as a fresh Uint8Array.
  val save() const {
    return guarded([&] {
      const std::vector<std::uint8_t> bytes = save_model_file(model_);
      return val::global("Uint8Array")
          .new_(emscripten::typed_memory_view(bytes.size(), bytes.data()));
    });
  }
  // The configuration as JSON, with the names of the JS API (as in the file).
  std::string config_json() const { return model_config_json(model_.config()); }

  int input_size() const { return model_.input_size(); }
  int latent_size() const { return model_.latent_size(); }
  double parameter_count() const { return static_cast<double>(model_.parameters().size()); }

  val encode(const val& inputs) const {
    return guarded([&] {
      return float32_array_from(model_.encode(matrix_from_js(inputs, input_size(), "images")));
    });
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
  val evaluate(const val& inputs) const {
    return guarded([&] {
      const Evaluation e = latentlab::evaluate(
          model_, matrix_from_js(inputs, input_size(), "images"), evaluation_seed());
      val result = val::object();
      result.set("loss", e.terms.total());
      result.set("reconstruction", e.terms.reconstruction);
      result.set("sparsity", e.terms.sparsity);
      result.set("contractive", e.terms.contractive);
      result.set("kl", e.terms.kl);
      result.set("negativeElbo", e.negative_elbo);
      result.set("meanActivation", e.mean_activation);
      result.set("fractionInactive", e.fraction_inactive);
      result.set("meanJacobianNorm", e.mean_jacobian_norm);
      return result;
    });
  }
  val hidden_activations(const val& inputs, int layer) const {
    return guarded([&] {
      if (layer < 0)
        throw std::invalid_argument("layer must be >= 0, got " + std::to_string(layer));
      return float32_array_from(model_.hidden_activations(
          matrix_from_js(inputs, input_size(), "images"), static_cast<std::size_t>(layer)));
    });
  }
  val anomaly_scores(const val& inputs) const {
    return guarded([&] {
      const Vector<double> scores =
          model_.anomaly_scores(matrix_from_js(inputs, input_size(), "images"));
      const Vector<float> values = scores.cast<float>();
      return float32_array_from(values.data(), static_cast<std::size_t>(values.size()));
    });
  }
  // Decodes `count` codes drawn from the prior N(0, I) with a generator seeded by `seed`.
  val sample(int count, double seed) const {
    return guarded([&] {
      if (!model_.variational()) {
        throw std::invalid_argument(
            "sample needs a variational model: only its codes follow the prior N(0, I)");
      }
      Rng rng(static_cast<std::uint64_t>(seed));
      Matrix<float> codes(latent_size(), count);
      for (Eigen::Index i = 0; i < codes.size(); ++i)
        codes.data()[i] = static_cast<float>(rng.normal());
      return float32_array_from(model_.decode(codes));
    });
  }
  val parameters() const {
    return float32_array_from(model_.parameters().data(),
                              static_cast<std::size_t>(model_.parameters().size()));
  }

  // Trains up to `max_batches` mini-batches, continuing the current epoch when
  // it runs on the same dataset and starting a new one otherwise.
  // `on_batch(report)` is called after every mini-batch; returning false stops.
  val train(const Dataset& dataset, const val& options, double max_batches, const val& on_batch) {
    return guarded([&] {
      trainer_.configure(train_options_from_js(options));
      if (!trainer_.in_epoch() || dataset.id() != dataset_id_) {
        trainer_.begin_epoch(dataset.data().cols());
        dataset_id_ = dataset.id();
      }
      const TrainReport report =
          trainer_.train(dataset.data(), clamp_to_long(max_batches), [&](const BatchReport& batch) {
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
  // Evaluation draws its own z (variational models) so that it never touches
  // the training generator: the same data always gives the same statistics.
  std::uint64_t evaluation_seed() const { return model_.config().seed + 2; }

  explicit Model(Autoencoder<float> model)
      : model_(std::move(model)), trainer_(model_, model_.config().seed + 1) {}
  explicit Model(const AutoencoderConfig& config)
      : model_(config), trainer_(model_, config.seed + 1) {}

  Autoencoder<float> model_;
  Trainer trainer_;
  long dataset_id_ = 0;
};

class PcaHandle {
 public:
  static PcaHandle* create(int input_size, int components) {
    return guarded([&] { return new PcaHandle(input_size, components); });
  }
  void fit(const val& inputs) {
    guarded([&] { pca_.fit(matrix_from_js(inputs, pca_.input_size(), "images")); });
  }
  val encode(const val& inputs) const {
    return guarded([&] {
      return float32_array_from(pca_.encode(matrix_from_js(inputs, pca_.input_size(), "images")));
    });
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
  val anomaly_scores(const val& inputs) const {
    return guarded([&] {
      const Vector<float> scores =
          pca_.anomaly_scores(matrix_from_js(inputs, pca_.input_size(), "images")).cast<float>();
      return float32_array_from(scores.data(), static_cast<std::size_t>(scores.size()));
    });
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

// A corrupted copy of `images` (rows of `width` values in [0, 1]).
val corrupt_images(const val& images, int width, const val& noise, double seed) {
  return guarded([&] {
    Matrix<float> values = matrix_from_js(images, width, "images");
    NoiseConfig config;
    config.kind = parse_noise_kind(noise["kind"].as<std::string>());
    config.level = noise["level"].as<double>();
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

// Bytes of the heap handed out by malloc and not yet freed.
double heap_bytes_in_use() { return static_cast<double>(mallinfo().uordblks); }

std::string simd_instruction_sets() { return Eigen::SimdInstructionSetsInUse(); }

}  // namespace

EMSCRIPTEN_BINDINGS(latentlab) {
  using namespace emscripten;
  class_<Dataset>("Dataset")
      .constructor(&Dataset::create, allow_raw_pointers())
      .class_function("fromBytes", &Dataset::from_bytes, allow_raw_pointers())
      .function("count", &Dataset::count)
      .function("features", &Dataset::features);
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
      .function("sample", &Model::sample)
      .function("parameters", &Model::parameters)
      .function("train", &Model::train);
  class_<PcaHandle>("PCA")
      .constructor(&PcaHandle::create, allow_raw_pointers())
      .function("fit", &PcaHandle::fit)
      .function("encode", &PcaHandle::encode)
      .function("decode", &PcaHandle::decode)
      .function("reconstruct", &PcaHandle::reconstruct)
      .function("anomalyScores", &PcaHandle::anomaly_scores)
      .function("interpolate", &PcaHandle::interpolate)
      .function("componentVectors", &PcaHandle::component_vectors)
      .function("explainedVariance", &PcaHandle::explained_variance);
  function("corrupt", &corrupt_images);
  function("rocAuc", &roc_auc_of);
  function("parseIdx", &parse_idx_file);
  function("heapBytes", &heap_bytes_in_use);
  function("simdInstructionSets", &simd_instruction_sets);
}
