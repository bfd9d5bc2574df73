print("gemini-emulator")
