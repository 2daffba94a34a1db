/** quality: see DESIGN.md. */
export {};
