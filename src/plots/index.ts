/** plots: see DESIGN.md. */
export {};
