// GeminiEmulator: placeholder until the module lands.
