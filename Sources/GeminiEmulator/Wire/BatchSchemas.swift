/// The batch create request, field by field (from python-genai's `batches.py` and the Batch API
/// page; the public proto has no Batch messages, gemini-api.md §9).
extension RequestSchemas {
    static let batchSchemas = [
        MessageSchema(
            "BatchGenerateContentRequest",
            [
                FieldSpec("batch", .message("GenerateContentBatch"))
            ]),
        MessageSchema(
            "GenerateContentBatch",
            [
                FieldSpec("model", .string),
                FieldSpec("name", .string),
                FieldSpec("display_name", .string),
                FieldSpec("input_config", .message("InputConfig")),
                FieldSpec("priority", .int64),
                FieldSpec("webhook_config", .any),
            ]),
        MessageSchema(
            "InputConfig",
            [
                FieldSpec("file_name", .string),
                FieldSpec("requests", .message("InlinedRequests")),
            ]),
        MessageSchema(
            "InlinedRequests",
            [
                FieldSpec("requests", .message("InlinedRequest"), repeated: true)
            ]),
        MessageSchema(
            "InlinedRequest",
            [
                FieldSpec("request", .message("GenerateContentRequest")),
                FieldSpec("metadata", .any),
            ]),
    ]
}
