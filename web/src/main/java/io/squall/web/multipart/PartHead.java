package io.squall.web.multipart;

import java.util.Map;

/**
 * The head of one part of a {@code multipart/form-data} body: its {@code Content-Disposition} parameters
 * and its header fields.
 *
 * @param name the field name ({@code name} parameter)
 * @param filename the file name ({@code filename*} if present, else {@code filename}), or null for a field
 *     that is not a file; as the client sent it, which may include a path: never use it as a path unchecked
 * @param contentType the part's {@code Content-Type}, or null if it has none
 * @param headers every header field of the part, by lower-case name (UTF-8 decoded, surrounding whitespace
 *     removed)
 */
public record PartHead(String name, String filename, String contentType, Map<String, String> headers) {
    /** Whether the part is a file (it has a file name, even an empty one). */
    public boolean isFile() {
        return filename != null;
    }
}
