// GeminiAPI: placeholder until the module lands.
