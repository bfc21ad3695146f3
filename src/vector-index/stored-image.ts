import path from "node:path";

// Two or more letters so a Windows drive ("C:\x") still reads as a path, not a scheme.
const SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/**
 * What an index stores as a record's `image`: a URL as it is; a local file as its path relative to
 * `root` (the catalog's directory), with `/` separators — never the building machine's absolute path, which
 * would leak into every answer and mean nothing on another machine.
 */
export function storedImageRef(image: string, root: string | undefined): string {
  if (SCHEME.test(image) || root === undefined || !path.isAbsolute(image)) return image;
  return path.relative(root, image).split(path.sep).join("/");
}

/**
 * The inverse, for code that reads the image (thumbnails): a relative reference is resolved against the
 * catalog's directory (`imageDir`); URLs, and absolute paths of indexes written before, stay as they are.
 */
export function resolveStoredImage(ref: string, imageDir: string | undefined): string {
  if (SCHEME.test(ref) || path.isAbsolute(ref) || imageDir === undefined) return ref;
  return path.resolve(imageDir, ref);
}

/** The directory relative image references of the index at `indexDir` are resolved against. */
export function imageDirOf(
  indexDir: string,
  manifest: { imageRoot?: string | undefined },
): string | undefined {
  return manifest.imageRoot === undefined ? undefined : path.resolve(indexDir, manifest.imageRoot);
}
