/** automl: see DESIGN.md. */
export {};
