/** models/cluster: see DESIGN.md. */
export {};
