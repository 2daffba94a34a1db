/** select: see DESIGN.md. */
export {};
