/**
 * The web framework (Tornado's {@code web} and {@code routing}): {@code Application}, routing rules,
 * {@code RequestHandler} and its lifecycle, errors, arguments and JSON output.
 */
package io.squall.web;
