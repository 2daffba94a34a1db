/** track: see DESIGN.md. */
export {};
