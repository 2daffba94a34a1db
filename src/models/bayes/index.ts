/** models/bayes: naive Bayes classifiers (Gaussian and multinomial). */
export { GaussianNB, type GaussianNBParams, type NaiveBayesFitOptions } from './gaussian-nb.ts';
export { MultinomialNB, type MultinomialNBParams } from './multinomial-nb.ts';
