// Prompts: placeholder until the module lands.
