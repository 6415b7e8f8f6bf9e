#include "evaluation.h"

#include <cmath>
#include <string>
#include <utility>

#include "errors.h"
#include "finite.h"
#include "statistics.h"
#include "trainer.h"

namespace latentlab {

Evaluation evaluate(const Autoencoder<float>& model, const Dataset& data, std::uint64_t seed) {
  require_features(data, model.input_size(), "the model");
  check_loss_targets(model.config().loss, data.min(), data.max(), "images");
  Rng rng(seed);
  LossTermsMean terms;
  double inactive = 0, activation_count = 0, jacobian_sum = 0;
  Vector<double> unit_sums;  // per unit of the statistics layer
  // The Jacobian's norm is that of an affine first layer (dense or a convolution).
  const AffineJacobian<float>* first_affine = model.first_affine();
  Vector<float> row_norms;
  if (first_affine != nullptr) {
    row_norms.resize(first_affine->outputs());
    first_affine->jacobian_row_norms(model.parameters(), row_norms.data());
  }
  ForwardPass<float> pass;
  for_each_chunk(data, [&](long, const Matrix<float>& batch) {
    const Eigen::Index count = batch.cols();
    // One pass gives the terms (z drawn from `rng`) and every statistic.
    model.forward(batch, RunMode{false, &rng}, pass);
    terms.add(model.terms_of(pass, batch), count);

    const Matrix<float> activations = model.block_activations(pass, model.statistics_layer());
    const Vector<double> sums = activations.cast<double>().rowwise().sum();
    if (unit_sums.size() == 0) unit_sums = Vector<double>::Zero(sums.size());
    unit_sums += sums;
    inactive += count_inactive(activations);
    activation_count += static_cast<double>(activations.size());

    if (first_affine != nullptr) {
      // A variational model without hidden encoder layers: the mean head's
      // rows, which come first.
      const Matrix<float> first = model.block_activations(pass, 0);
      jacobian_sum += mean_jacobian_norm(first, model.first_activation(), row_norms.data()) * count;
    }
  });
  const double samples = static_cast<double>(data.count());
  Evaluation evaluation;
  evaluation.terms = terms.mean();
  const Vector<double> unit_means = unit_sums / samples;
  // A penalty of batch statistics (KL sparsity) is not a mean over samples:
  // the penalty layer extends it to the whole data.
  if (const auto* penalty = model.activity_penalty()) {
    evaluation.terms.sparsity = penalty->whole_data_value(unit_means, evaluation.terms.sparsity);
  }
  if (model.variational()) {
    evaluation.negative_elbo = evaluation.terms.reconstruction + evaluation.terms.kl;
  }
  evaluation.mean_activation = unit_means.mean();
  evaluation.fraction_inactive = inactive / activation_count;
  if (first_affine != nullptr) evaluation.mean_jacobian_norm = jacobian_sum / samples;
  // forward() checked every layer's outputs, but the contractive penalty and
  // the Jacobian's norm square the weights in float, which can overflow.
  const std::pair<const char*, double> statistics[] = {
      {"contractive term", evaluation.terms.contractive},
      {"mean Jacobian norm", evaluation.mean_jacobian_norm.value_or(0)},
      {"loss", evaluation.terms.total()}};
  for (const auto& [name, value] : statistics) {
    if (!std::isfinite(value)) {
      throw NotFinite(std::string("the evaluation's ") + name + " is not finite (" +
                      number_text(value) + "): " + kModelOverflow);
    }
  }
  return evaluation;
}

Matrix<float> encode(const Autoencoder<float>& model, const Dataset& data) {
  require_features(data, model.input_size(), "the model");
  return map_chunks(data, [&](const Matrix<float>& chunk) { return model.encode(chunk); });
}

Matrix<float> hidden_activations(const Autoencoder<float>& model, const Dataset& data,
                                 std::size_t layer) {
  require_features(data, model.input_size(), "the model");
  return map_chunks(
      data, [&](const Matrix<float>& chunk) { return model.hidden_activations(chunk, layer); });
}

Vector<double> anomaly_scores(const Autoencoder<float>& model, const Dataset& data) {
  require_features(data, model.input_size(), "the model");
  // The whole data's range, before any chunk's.
  check_loss_targets(model.config().loss, data.min(), data.max(), "images");
  Vector<double> scores(data.count());
  for_each_chunk(data, [&](long first, const Matrix<float>& chunk) {
    scores.segment(first, chunk.cols()) = model.anomaly_scores(chunk);
  });
  return scores;
}

}  // namespace latentlab
