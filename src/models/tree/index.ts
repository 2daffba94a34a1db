/** models/tree: see DESIGN.md. */
export {};
