// Package mixlogitfit fits the two-class mixture of logistic
// random-intercept models of package mixlogit by maximum likelihood, in one
// of two ways (Options.Method):
//
//   - Quadrature (direct.go): the exact log-likelihood of package mixlogit,
//     with its analytic gradient and Hessian, is maximised by the
//     trust-region method (package optim/trust) on the unconstrained scale
//     ψ = (β₁, β₂, log σ₁, log σ₂, logit π₁). Standard errors are the
//     square roots of the diagonal of the inverse observed information
//     −∇²ℓ(Ω̂) on the natural scale Ω. This is the fast method.
//
//   - MCEM (mcem.go and the files it names): Monte Carlo EM (Wei and
//     Tanner, J. Am. Stat. Assoc. 85:699–704, 1990) with the missing data
//     (class c_i, random intercept z_i) of each subject imputed by
//     importance sampling from t proposals at the conditional modes
//     (Booth and Hobert, J. R. Stat. Soc. B 61:265–285, 1999) mixed with
//     the prior as a defensive component (sample.go),
//     an exact M-step (closed forms for π₁ and σ_c, Newton's method for
//     β_c; mstep.go), the Monte Carlo sample size grown by the ascent-based
//     rule of Caffo, Jank and Jones (J. R. Stat. Soc. B 67:235–251, 2005)
//     and stopped by their upper-bound rule (ascent.go), and a final stage
//     of Newton steps on a fresh sample at MCEM's last iterate, repeated
//     while a score test finds that point off the maximum or the steps
//     move far from it, which reaches
//     the fixed point of EM on the sample and gives Louis' standard errors
//     and the Monte Carlo standard errors of the estimate (louis.go).
//
// Both start from Options.Start or from DataStart (start.go), and both
// report under the labelling β₁ < β₂ (class 1 is the class with the
// smaller slope): the likelihood is invariant under exchanging the labels,
// so a maximum found with β₁ > β₂ is relabelled, and MCEM relabels its
// iterate after every iteration. Both report the exact log-likelihood, its
// gradient and the posterior class probabilities at the estimate.
//
// Determinism. Subject i's draws in round r of MCEM iteration t come from
// a random stream keyed by (Seed, t, r, i) alone, and every sum over
// subjects is taken over fixed blocks of subjects combined in block order
// (mixlogit.Model.SumSubjects), so a fit is bit-identical for any number of
// workers.
//
// Comparison with the reference implementation (Wang's course project,
// Renmin University of China, 2025): it drew the class by Gibbs sampling
// and z by Metropolis–Hastings with the prior as proposal (100 burn-in,
// K = 500 draws, a fixed K), moved β_c by 100 steps of gradient ascent
// with a fixed learning rate (so its M-step was not a maximisation), and
// stopped when every parameter moved by less than 1 % twice. Here the
// draws are independent (no burn-in, no autocorrelation; the effective
// sample size of the weights, reported per iteration, is about 90 % of the
// draws), the M-step is exact, and the sample size and stopping follow
// from the Monte Carlo error of the Q-function's increase.
//
// Where the likelihood is nearly flat in a parameter, MCEM stops short. At
// Wang's truth (σ₂ = 10; n = 500, T = 20) the MLE of σ₂ has a standard
// error near 10, EM's rate in σ₂ is close to 1, and over 25 simulated data
// sets MCEM's estimates of σ₁, σ₂ and π₁ fell a median half of the MLE's
// standard error short of the MLE (σ₂ by 1.3), with 5 s of CPU per fit; one
// fit reported non-convergence and a non-positive-definite information.
// The quadrature fit has no such limit and is the one to use there. With
// well-separated classes (cmd/mixlogit-sim's default truth) MCEM's
// estimates differ from the MLE by their Monte Carlo errors: over 100 data
// sets (MCEM − MLE)/MCSE had mean −0.1 to 0.1 and standard deviation 0.9
// to 1.05 for every parameter.
package mixlogitfit
