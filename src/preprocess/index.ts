/** preprocess: see DESIGN.md. */
export {};
