/** models/bayes: see DESIGN.md. */
export {};
