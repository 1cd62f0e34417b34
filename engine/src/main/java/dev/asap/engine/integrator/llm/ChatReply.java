package dev.asap.engine.integrator.llm;

import dev.asap.engine.history.LlmCall;

/**
 * The gateway's answer to one question: the model's text and what producing it cost.
 *
 * @param content the assistant message's text, as the model wrote it
 * @param call the backend's and the engine's figures for the request
 */
record ChatReply(String content, LlmCall call) {}
