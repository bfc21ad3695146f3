/** The original MosAIc catalog columns, tab-separated, in order: mosaic's default mapping reads them. */
export const ORIGINAL_COLUMNS = [
  "id",
  "Title",
  "Artist",
  "Thumbnail_Url",
  "Image_Url",
  "Culture",
  "Classification",
  "Museum_Page",
  "Museum",
] as const;
