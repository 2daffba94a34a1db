/** stats: see DESIGN.md. */
export {};
