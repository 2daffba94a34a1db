/** models/linear: see DESIGN.md. */
export {};
