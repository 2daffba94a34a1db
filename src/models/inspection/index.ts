/** models/inspection: see DESIGN.md. */
export {};
