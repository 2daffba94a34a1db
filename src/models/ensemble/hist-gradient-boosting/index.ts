/** models/ensemble/hist-gradient-boosting: see DESIGN.md. */
export {};
