/** metrics: see DESIGN.md. */
export {};
