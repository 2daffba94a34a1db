/** serve: see DESIGN.md. */
export {};
