/** export: see DESIGN.md. */
export {};
