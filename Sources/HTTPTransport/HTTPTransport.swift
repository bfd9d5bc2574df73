// HTTPTransport: placeholder until the module lands.
