package dev.asap.engine.study;

import java.nio.file.Path;

/**
 * A whole study document.
 *
 * @param name {@code metadata.name}: a DNS-1123 label, which also names the study's state folder
 * @param namespace {@code metadata.namespace}, or {@code null}
 * @param spec the validated spec
 * @param baseDir the folder relative paths in the trial template resolve against locally (the study
 *     file's folder), or {@code null}
 */
public record Study(String name, String namespace, StudySpec spec, Path baseDir) {}
