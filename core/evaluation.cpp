#include "evaluation.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "statistics.h"
#include "trainer.h"

namespace latentlab {

Evaluation evaluate(const Autoencoder<float>& model, const Matrix<float>& data,
                    std::uint64_t seed) {
  if (data.rows() != model.input_size()) {
    throw std::invalid_argument("the data has " + std::to_string(data.rows()) +
                                " features per sample, the model expects " +
                                std::to_string(model.input_size()));
  }
  if (data.cols() < 1) throw std::invalid_argument("the data holds no samples");
  constexpr Eigen::Index chunk = 1000;
  Rng rng(seed);
  LossTermsMean terms;
  double inactive = 0, activation_count = 0, jacobian_sum = 0;
  Vector<double> unit_sums;  // per unit of the statistics layer
  const DenseLayer<float>& first = model.layers()[0];
  for (Eigen::Index start = 0; start < data.cols(); start += chunk) {
    const Eigen::Index count = std::min(chunk, data.cols() - start);
    const Matrix<float> batch = data.middleCols(start, count);
    terms.add(model.loss_terms(batch, batch, &rng), count);

    const Matrix<float> activations = model.hidden_activations(batch, model.sparsity_layer());
    const Vector<double> sums = activations.cast<double>().rowwise().sum();
    if (unit_sums.size() == 0) unit_sums = Vector<double>::Zero(sums.size());
    unit_sums += sums;
    inactive += count_inactive(activations);
    activation_count += static_cast<double>(activations.size());

    const Matrix<float> first_layer = model.hidden_activations(batch, 0);
    // A variational model without hidden encoder layers: the mean head's rows.
    jacobian_sum +=
        mean_jacobian_norm(first_layer, first.activation(),
                           first.weights(model.parameters()).topRows(first_layer.rows())) *
        count;
  }
  Evaluation evaluation;
  evaluation.terms = terms.mean();
  const Vector<double> unit_means = unit_sums / static_cast<double>(data.cols());
  // The KL penalty is not a mean over samples but a function of each unit's
  // mean activation: take it over the whole data, not chunk by chunk.
  const SparsityConfig& sparsity = model.config().sparsity;
  if (sparsity.kind == SparsityKind::kl) {
    const Matrix<double> means = unit_means;
    evaluation.terms.sparsity =
        kl_sparsity_penalty(means, sparsity.target, sparsity.weight, nullptr);
  }
  evaluation.negative_elbo = evaluation.terms.reconstruction + evaluation.terms.kl;
  evaluation.mean_activation = unit_means.mean();
  evaluation.fraction_inactive = inactive / activation_count;
  evaluation.mean_jacobian_norm = jacobian_sum / static_cast<double>(data.cols());
  return evaluation;
}

}  // namespace latentlab
