/** models: see DESIGN.md. */
export {};
