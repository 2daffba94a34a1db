/** models/ensemble/forest: see DESIGN.md. */
export {};
