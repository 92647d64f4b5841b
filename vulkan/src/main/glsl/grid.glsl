// Flat workgroup index over a 2D dispatch: the host splits counts above maxComputeWorkGroupCount[0] into rows
// of a 2D grid, so shaders see one index in [0, gl_NumWorkGroups.x * gl_NumWorkGroups.y) and skip the excess.
uint flat_group() { return gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x; }
