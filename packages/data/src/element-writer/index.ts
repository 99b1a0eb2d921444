// The element writer's public API (issue 14); filled in as it lands.
export {};
