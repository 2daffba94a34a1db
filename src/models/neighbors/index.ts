/** models/neighbors: see DESIGN.md. */
export {};
