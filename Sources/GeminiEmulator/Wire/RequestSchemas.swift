/// The request messages the emulator knows, field by field (generative_service.proto,
/// content.proto, file.proto of google.ai.generativelanguage.v1beta, plus the newer
/// fields the SDKs send: `thinkingLevel` (in any case), per-part `mediaResolution`,
/// `serviceTier`).
///
/// Open-ended values (`google.protobuf.Value`, JSON schemas, function declarations) are
/// `.any`: their insides are passed through unchecked.
enum RequestSchemas {
    private static let package = "google.ai.generativelanguage.v1beta"

    private static func enumeration(_ name: String, _ values: [String], ignoringCase: Bool = false) -> FieldKind {
        .enumeration("\(package).\(name)", values, ignoringCase: ignoringCase)
    }

    static let harmCategory = enumeration(
        "HarmCategory",
        [
            "HARM_CATEGORY_UNSPECIFIED", "HARM_CATEGORY_DEROGATORY", "HARM_CATEGORY_TOXICITY",
            "HARM_CATEGORY_VIOLENCE", "HARM_CATEGORY_SEXUAL", "HARM_CATEGORY_MEDICAL", "HARM_CATEGORY_DANGEROUS",
            "HARM_CATEGORY_HARASSMENT", "HARM_CATEGORY_HATE_SPEECH", "HARM_CATEGORY_SEXUALLY_EXPLICIT",
            "HARM_CATEGORY_DANGEROUS_CONTENT", "HARM_CATEGORY_CIVIC_INTEGRITY",
        ])
    static let threshold = enumeration(
        "SafetySetting.HarmBlockThreshold",
        [
            "HARM_BLOCK_THRESHOLD_UNSPECIFIED", "BLOCK_LOW_AND_ABOVE", "BLOCK_MEDIUM_AND_ABOVE",
            "BLOCK_ONLY_HIGH", "BLOCK_NONE", "OFF",
        ])
    static let mediaResolution = enumeration(
        "GenerationConfig.MediaResolution",
        [
            "MEDIA_RESOLUTION_UNSPECIFIED", "MEDIA_RESOLUTION_LOW", "MEDIA_RESOLUTION_MEDIUM",
            "MEDIA_RESOLUTION_HIGH", "MEDIA_RESOLUTION_ULTRA_HIGH",
        ])

    static let all: [String: MessageSchema] = {
        let schemas = [
            MessageSchema(
                "GenerateContentRequest",
                [
                    FieldSpec("model", .string),
                    FieldSpec("contents", .message("Content"), repeated: true),
                    FieldSpec("system_instruction", .message("Content")),
                    FieldSpec("generation_config", .message("GenerationConfig")),
                    FieldSpec("safety_settings", .message("SafetySetting"), repeated: true),
                    FieldSpec("tools", .message("Tool"), repeated: true),
                    FieldSpec("tool_config", .message("ToolConfig")),
                    FieldSpec("cached_content", .string),
                    FieldSpec("service_tier", .string),
                ]),
            MessageSchema(
                "CountTokensRequest",
                [
                    FieldSpec("model", .string),
                    FieldSpec("contents", .message("Content"), repeated: true),
                    FieldSpec("generate_content_request", .message("GenerateContentRequest")),
                ]),
            MessageSchema(
                "Content",
                [
                    FieldSpec("parts", .message("Part"), repeated: true),
                    FieldSpec("role", .string),
                ]),
            MessageSchema(
                "Part",
                [
                    FieldSpec("text", .string),
                    FieldSpec("inline_data", .message("Blob")),
                    FieldSpec("file_data", .message("FileData")),
                    FieldSpec("function_call", .any),
                    FieldSpec("function_response", .any),
                    FieldSpec("executable_code", .any),
                    FieldSpec("code_execution_result", .any),
                    FieldSpec("video_metadata", .message("VideoMetadata")),
                    FieldSpec("thought", .bool),
                    FieldSpec("thought_signature", .bytes),
                    FieldSpec("part_metadata", .any),
                    FieldSpec("media_resolution", .message("PartMediaResolution")),
                ]),
            MessageSchema(
                "Blob",
                [
                    FieldSpec("mime_type", .string),
                    FieldSpec("data", .bytes),
                ]),
            MessageSchema(
                "FileData",
                [
                    FieldSpec("mime_type", .string),
                    FieldSpec("file_uri", .string),
                ]),
            MessageSchema(
                "VideoMetadata",
                [
                    FieldSpec("start_offset", .string),
                    FieldSpec("end_offset", .string),
                    FieldSpec("fps", .float),
                ]),
            MessageSchema(
                "PartMediaResolution",
                [
                    FieldSpec("level", mediaResolution),
                    FieldSpec("num_tokens", .int32),
                ]),
            MessageSchema(
                "GenerationConfig",
                [
                    FieldSpec("candidate_count", .int32),
                    FieldSpec("stop_sequences", .string, repeated: true),
                    FieldSpec("max_output_tokens", .int32),
                    FieldSpec("temperature", .float),
                    FieldSpec("top_p", .float),
                    FieldSpec("top_k", .int32),
                    FieldSpec("seed", .int32),
                    FieldSpec("response_mime_type", .string),
                    FieldSpec("response_schema", .any),
                    FieldSpec("response_json_schema", .any, jsonName: "responseJsonSchema"),
                    FieldSpec("presence_penalty", .float),
                    FieldSpec("frequency_penalty", .float),
                    FieldSpec("response_logprobs", .bool),
                    FieldSpec("logprobs", .int32),
                    FieldSpec("enable_enhanced_civic_answers", .bool),
                    FieldSpec(
                        "response_modalities",
                        enumeration(
                            "GenerationConfig.Modality",
                            [
                                "MODALITY_UNSPECIFIED", "TEXT", "IMAGE", "AUDIO",
                            ]), repeated: true),
                    FieldSpec("speech_config", .any),
                    FieldSpec("thinking_config", .message("ThinkingConfig")),
                    FieldSpec("media_resolution", mediaResolution),
                    FieldSpec("image_config", .any),
                ],
                aliases: [
                    "_responseJsonSchema": "response_json_schema",
                    "response_json_schema_ordered": "response_json_schema",
                ]),
            MessageSchema(
                "ThinkingConfig",
                [
                    FieldSpec("include_thoughts", .bool),
                    FieldSpec("thinking_budget", .int32),
                    FieldSpec(
                        "thinking_level",
                        enumeration(
                            "ThinkingConfig.ThinkingLevel",
                            [
                                "THINKING_LEVEL_UNSPECIFIED", "MINIMAL", "LOW", "MEDIUM", "HIGH",
                            ], ignoringCase: true)),
                ]),
            MessageSchema(
                "SafetySetting",
                [
                    FieldSpec("category", harmCategory),
                    FieldSpec("threshold", threshold),
                ]),
            MessageSchema(
                "Tool",
                [
                    FieldSpec("function_declarations", .any, repeated: true),
                    FieldSpec("google_search_retrieval", .any),
                    FieldSpec("code_execution", .any),
                    FieldSpec("google_search", .any),
                    FieldSpec("url_context", .any),
                    FieldSpec("computer_use", .any),
                    FieldSpec("file_search", .any),
                    FieldSpec("google_maps", .any),
                ]),
            MessageSchema(
                "ToolConfig",
                [
                    FieldSpec("function_calling_config", .message("FunctionCallingConfig")),
                    FieldSpec("retrieval_config", .any),
                ]),
            MessageSchema(
                "FunctionCallingConfig",
                [
                    FieldSpec(
                        "mode",
                        enumeration(
                            "FunctionCallingConfig.Mode",
                            [
                                "MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED",
                            ])),
                    FieldSpec("allowed_function_names", .string, repeated: true),
                ]),
            MessageSchema(
                "CreateFileRequest",
                [
                    FieldSpec("file", .message("File"))
                ]),
            MessageSchema(
                "File",
                [
                    FieldSpec("name", .string),
                    FieldSpec("display_name", .string),
                    FieldSpec("mime_type", .string),
                    FieldSpec("size_bytes", .int64),
                    FieldSpec("create_time", .string),
                    FieldSpec("update_time", .string),
                    FieldSpec("expiration_time", .string),
                    FieldSpec("sha256_hash", .bytes),
                    FieldSpec("uri", .string),
                    FieldSpec("download_uri", .string),
                    FieldSpec("state", enumeration("File.State", ["STATE_UNSPECIFIED", "PROCESSING", "ACTIVE", "FAILED"])),
                    FieldSpec("source", enumeration("File.Source", ["SOURCE_UNSPECIFIED", "UPLOADED", "GENERATED", "REGISTERED"])),
                    FieldSpec("error", .any),
                    FieldSpec("video_metadata", .any),
                ]),
        ]
        return Dictionary(uniqueKeysWithValues: (schemas + batchSchemas).map { ($0.name, $0) })
    }()
}
