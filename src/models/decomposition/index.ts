/** models/decomposition: see DESIGN.md. */
export {};
