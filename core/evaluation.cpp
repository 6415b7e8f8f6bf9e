#include "evaluation.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "errors.h"
#include "statistics.h"
#include "trainer.h"

namespace latentlab {

Evaluation evaluate(const Autoencoder<float>& model, const Matrix<float>& data,
                    std::uint64_t seed) {
  if (data.rows() != model.input_size()) {
    throw OutOfRange("the data has " + std::to_string(data.rows()) +
                     " features per sample, the model expects " +
                     std::to_string(model.input_size()));
  }
  if (data.cols() < 1) throw std::invalid_argument("the data holds no samples");
  check_loss_targets(model.config().loss, data.minCoeff(), data.maxCoeff(), "images");
  constexpr Eigen::Index chunk = 1000;
  Rng rng(seed);
  LossTermsMean terms;
  double inactive = 0, activation_count = 0, jacobian_sum = 0;
  Vector<double> unit_sums;  // per unit of the statistics layer
  const auto first_weights = model.first_dense().weights(model.parameters());
  ForwardPass<float> pass;
  for (Eigen::Index start = 0; start < data.cols(); start += chunk) {
    const Eigen::Index count = std::min(chunk, data.cols() - start);
    const Matrix<float> batch = data.middleCols(start, count);
    // One pass gives the terms (z drawn from `rng`) and every statistic.
    model.forward(batch, RunMode{false, &rng}, pass);
    terms.add(model.terms_of(pass, batch), count);

    const Matrix<float> activations = model.block_activations(pass, model.statistics_layer());
    const Vector<double> sums = activations.cast<double>().rowwise().sum();
    if (unit_sums.size() == 0) unit_sums = Vector<double>::Zero(sums.size());
    unit_sums += sums;
    inactive += count_inactive(activations);
    activation_count += static_cast<double>(activations.size());

    // A variational model without hidden encoder layers: the mean head's rows.
    const Matrix<float> first = model.block_activations(pass, 0);
    jacobian_sum +=
        mean_jacobian_norm(first, model.first_activation(), first_weights.topRows(first.rows())) *
        count;
  }
  Evaluation evaluation;
  evaluation.terms = terms.mean();
  const Vector<double> unit_means = unit_sums / static_cast<double>(data.cols());
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
  evaluation.mean_jacobian_norm = jacobian_sum / static_cast<double>(data.cols());
  return evaluation;
}

}  // namespace latentlab
